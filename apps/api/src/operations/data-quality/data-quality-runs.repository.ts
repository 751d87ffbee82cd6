import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';
import type { Finding, FindingKind } from './data-quality-checks.js';

export interface DataQualityRun {
  id: string;
  startedAt: Date;
  finishedAt: Date;
  counts: Partial<Record<FindingKind, number>>;
}

const INSERT_CHUNK = 1_000;

@Injectable()
export class DataQualityRunsRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  /** A run and its findings in one transaction: the admin page never shows half a run. */
  async save(run: DataQualityRun, findings: readonly Finding[]): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await trx('data_quality_runs').insert({ id: run.id, started_at: run.startedAt, finished_at: run.finishedAt, counts: run.counts });
      for (let i = 0; i < findings.length; i += INSERT_CHUNK) {
        await trx('data_quality_findings').insert(
          findings.slice(i, i + INSERT_CHUNK).map((f) => ({ run_id: run.id, kind: f.kind, subject: f.subject, detail: f.detail })),
        );
      }
    });
  }

  async latest(): Promise<DataQualityRun | undefined> {
    const row = await this.knex('data_quality_runs').orderBy('started_at', 'desc').first();
    return row ? { id: row.id, startedAt: row.started_at, finishedAt: row.finished_at, counts: row.counts } : undefined;
  }

  async findings(runId: string, options: { kind?: FindingKind; limit: number; offset: number }): Promise<{ items: Finding[]; total: number }> {
    const base = this.knex('data_quality_findings').where({ run_id: runId }).modify((q) => {
      if (options.kind) q.where({ kind: options.kind });
    });
    const [rows, [{ count }]] = await Promise.all([
      base.clone().orderBy(['kind', 'id']).limit(options.limit).offset(options.offset).select('kind', 'subject', 'detail'),
      base.clone().count<{ count: string }[]>({ count: '*' }),
    ]);
    return { items: rows as Finding[], total: Number(count) };
  }

  /** Findings go with their run (ON DELETE CASCADE). */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    return this.knex('data_quality_runs').where('started_at', '<', cutoff).delete();
  }
}
