import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';
import { redactPersonalData, redactText } from './personal-data-redaction.js';

export interface IntegrationErrorRecord {
  integration: string;
  operation: string;
  /** Identifiers that let an operator trace or replay the call (ids, kinds); never personal data. */
  payload?: Record<string, unknown>;
  error: unknown;
}

export interface StoredIntegrationError {
  id: number;
  integration: string;
  operation: string;
  payload: Record<string, unknown>;
  error: string;
  occurredAt: Date;
}

/** A permanent failure of an outbound call is written down and logged: never silently dropped. */
@Injectable()
export class IntegrationErrors {
  private readonly logger = new Logger('Integrations');

  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async record(entry: IntegrationErrorRecord): Promise<void> {
    const payload = redactPersonalData(entry.payload ?? {}) as Record<string, unknown>;
    const error = describeError(entry.error);
    this.logger.error({ integration: entry.integration, operation: entry.operation, payload, error }, 'outbound call failed permanently');
    await this.knex('integration_errors').insert({ integration: entry.integration, operation: entry.operation, payload, error });
  }

  async latest(limit = 50): Promise<StoredIntegrationError[]> {
    const rows = await this.knex('integration_errors').orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(limit);
    return rows.map((r: { id: number; integration: string; operation: string; payload: Record<string, unknown>; error: string; occurred_at: Date }) => ({
      id: r.id,
      integration: r.integration,
      operation: r.operation,
      payload: r.payload,
      error: r.error,
      occurredAt: r.occurred_at,
    }));
  }
}

/** One line an operator can act on: the error's class and message, with addresses blanked out. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message})` : '';
    return redactText(`${error.name}: ${error.message}${cause}`).slice(0, 2000);
  }
  return redactText(String(error)).slice(0, 2000);
}
