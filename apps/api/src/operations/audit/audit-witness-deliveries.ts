import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { AppConfig } from '@mpp/config';
import type { Knex } from '@mpp/db';
import type { WitnessFile } from '@mpp/domain';
import { APP_CONFIG, KNEX } from '../../infrastructure/tokens.js';
import { claimDueRows } from '../../integrations/resilience/claim-due-rows.js';
import { IntegrationCallFailed } from '../../integrations/resilience/integration-call-failed.js';
import { describeError, IntegrationErrors } from '../../integrations/resilience/integration-errors.js';
import { Resilience } from '../../integrations/resilience/resilience.js';
import { retryDelayMs } from '../../integrations/mail/outbox-sender.js';

export const AUDIT_WITNESS_INTEGRATION = 'audit-witness';
export const WITNESS_DELIVERY_OPTIONS = Symbol('WITNESS_DELIVERY_OPTIONS');

export interface WitnessDeliveryOptions {
  batchSize: number;
  /** Scheduled attempts before a delivery is marked failed and written to integration_errors. */
  maxAttempts: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  /** A claimed delivery is invisible to other instances this long; one that dies mid-call leaves it to be retried. */
  leaseMs: number;
}

/** Ten attempts from one minute apart doubling to an hour: a witness may be away for about five hours. */
export const DEFAULT_WITNESS_DELIVERY: WitnessDeliveryOptions = {
  batchSize: 20,
  maxAttempts: 10,
  retryBaseDelayMs: 60_000,
  maxRetryDelayMs: 3600_000,
  leaseMs: 5 * 60_000,
};

export interface WitnessRunReport {
  due: number;
  delivered: number;
  retrying: number;
  failed: number;
}

interface DeliveryRow {
  id: string;
  position: string;
  body: string;
  attempts: number;
}

/** An answer of the witness that is not a 2xx; 408, 429 and 5xx are worth another attempt. */
export class WitnessRefused extends Error {
  constructor(readonly status: number) {
    super(`the witness answered HTTP ${status}`);
    this.name = 'WitnessRefused';
  }

  get transient(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/**
 * Sends each signed checkpoint to the operator's witness URL (AUDIT_WITNESS_URL). Making a
 * checkpoint only queues it (a row in audit_witness_deliveries); the audit-witness job POSTs it,
 * so a witness that is slow or down never holds up a checkpoint, let alone an append. Failures are
 * kept on the row and retried with backoff; one that is final goes to integration_errors.
 */
@Injectable()
export class AuditWitnessDeliveries {
  private readonly logger = new Logger('AuditWitness');
  private readonly options: WitnessDeliveryOptions;

  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly resilience: Resilience,
    private readonly errors: IntegrationErrors,
    @Optional() @Inject(WITNESS_DELIVERY_OPTIONS) options?: Partial<WitnessDeliveryOptions>,
  ) {
    this.options = { ...DEFAULT_WITNESS_DELIVERY, ...options };
  }

  get configured(): boolean {
    return this.config.AUDIT_WITNESS_URL !== undefined;
  }

  /** Queues one checkpoint; `checkpointEventId` (its AuditCheckpointRecorded event) names it to the witness. */
  async enqueue(checkpointEventId: string, witness: WitnessFile): Promise<void> {
    await this.knex('audit_witness_deliveries')
      .insert({ id: checkpointEventId, position: witness.checkpoint.position, body: JSON.stringify(witness) })
      .onConflict('id')
      .ignore();
  }

  /** `now` decides what is due and when retries fall due; tests move it forward instead of waiting. */
  async deliverDue(now: Date = new Date()): Promise<WitnessRunReport> {
    const url = this.config.AUDIT_WITNESS_URL;
    const report: WitnessRunReport = { due: 0, delivered: 0, retrying: 0, failed: 0 };
    if (url === undefined) return report;
    const claimed = await this.claim(now);
    report.due = claimed.length;
    for (const row of claimed) report[await this.deliver(url, row, now)] += 1;
    return report;
  }

  private async claim(now: Date): Promise<DeliveryRow[]> {
    const rows = await claimDueRows<DeliveryRow>(this.knex, {
      table: 'audit_witness_deliveries',
      returning: ['id', 'position', 'body', 'attempts'],
      now,
      leaseMs: this.options.leaseMs,
      batchSize: this.options.batchSize,
    });
    // Oldest checkpoint first: a witness keeping a log receives them in order.
    return rows.sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
  }

  private async deliver(url: string, row: DeliveryRow, now: Date): Promise<'delivered' | 'retrying' | 'failed'> {
    try {
      await this.resilience.for(AUDIT_WITNESS_INTEGRATION).call('publish-checkpoint', (signal) => post(url, row, signal), {
        isTransient: (error) => !(error instanceof WitnessRefused) || error.transient,
        recordFailure: false,
      });
    } catch (error) {
      const transient = error instanceof IntegrationCallFailed ? error.transient : true;
      const reason = describeError(error);
      if (!transient || row.attempts >= this.options.maxAttempts) {
        await this.knex('audit_witness_deliveries').where({ id: row.id }).update({ status: 'failed', last_error: reason });
        await this.errors.record({
          integration: AUDIT_WITNESS_INTEGRATION,
          operation: 'publish-checkpoint',
          payload: { checkpointEventId: row.id, position: row.position, attempts: row.attempts },
          error: reason,
        });
        return 'failed';
      }
      const nextAttemptAt = new Date(now.getTime() + retryDelayMs(row.attempts, this.options));
      await this.knex('audit_witness_deliveries').where({ id: row.id }).update({ status: 'pending', next_attempt_at: nextAttemptAt, last_error: reason });
      this.logger.warn({ checkpointEventId: row.id, position: row.position, attempts: row.attempts, nextAttemptAt }, 'witness delivery failed; will retry');
      return 'retrying';
    }
    await this.knex('audit_witness_deliveries').where({ id: row.id }).update({ status: 'delivered', delivered_at: now, last_error: null });
    return 'delivered';
  }
}

async function post(url: string, row: DeliveryRow, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': row.id },
    body: row.body,
    signal,
    redirect: 'error',
  });
  // The body is not ours to keep; reading it frees the connection.
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new WitnessRefused(response.status);
}
