import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { PoisonEventPolicy, ProjectionDefinition } from './projection.js';

/** A projection module deployed at run time; its source travels through the database to every projector. */
export interface ProjectionDeployment {
  name: string;
  version: number;
  fileName: string;
  source: string;
  sha256: string;
  deployedAt: Date;
  /** What the module declared when deployed; null for one recorded before these were kept. */
  tables: string[] | null;
  onPoisonEvent: PoisonEventPolicy | null;
}

interface DeploymentRow {
  name: string;
  version: number;
  file_name: string;
  source: string;
  sha256: string;
  deployed_at: Date;
  tables: string[] | null;
  on_poison_event: PoisonEventPolicy | null;
}

const TABLE = 'deployed_projections';

export function sourceDigest(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

/** The same version with other code would leave the running generation built by the old code. */
export class DeploymentNeedsNewVersion extends Error {
  constructor(name: string, version: number) {
    super(`${name} v${version} is already deployed with other code: bump its version to deploy the change (the projector then rebuilds it blue/green)`);
    this.name = 'DeploymentNeedsNewVersion';
  }
}

/** Records (or replaces, with a higher version) a deployment. Returns false when exactly this code is already deployed. */
export async function recordDeployment(knex: Knex, deployment: Omit<ProjectionDeployment, 'sha256' | 'deployedAt'>): Promise<boolean> {
  const sha256 = sourceDigest(deployment.source);
  return knex.transaction(async (trx) => {
    const current = await trx<DeploymentRow>(TABLE).where({ name: deployment.name }).forUpdate().first();
    if (current?.sha256 === sha256) return false;
    if (current && current.version >= deployment.version) throw new DeploymentNeedsNewVersion(deployment.name, current.version);
    const row = {
      name: deployment.name,
      version: deployment.version,
      file_name: deployment.fileName,
      source: deployment.source,
      sha256,
      deployed_at: trx.fn.now(),
      tables: deployment.tables,
      on_poison_event: deployment.onPoisonEvent,
    };
    await trx(TABLE).insert(row).onConflict('name').merge();
    return true;
  });
}

export async function listDeployments(knex: Knex): Promise<ProjectionDeployment[]> {
  const rows = await knex<DeploymentRow>(TABLE).orderBy('name');
  return rows.map((row) => ({
    name: row.name,
    version: row.version,
    fileName: row.file_name,
    source: row.source,
    sha256: row.sha256,
    deployedAt: row.deployed_at,
    tables: row.tables,
    onPoisonEvent: row.on_poison_event,
  }));
}

/** A projection as the status reports know it: a built-in definition, or a deployment's record. */
export interface ProjectionRef {
  name: string;
  /** The version the code defines (built-in) or was deployed with. */
  version: number;
  tables: readonly string[] | null;
  onPoisonEvent: PoisonEventPolicy | null;
  /** Present for a projection deployed at run time (`mpp projections deploy`). */
  deployed?: { fileName: string; deployedAt: string };
}

/**
 * The built-in projections, then the deployed ones (by name): what `mpp projections list`, the admin
 * route and the metrics report, so a deployed projection's state and lag show beside the others.
 */
export async function knownProjections(knex: Knex, builtIns: readonly ProjectionDefinition[]): Promise<ProjectionRef[]> {
  const deployed = (await listDeployments(knex)).filter((d) => !builtIns.some((p) => p.name === d.name));
  return [
    ...builtIns.map(({ name, version, tables, onPoisonEvent }) => ({ name, version, tables, onPoisonEvent })),
    ...deployed.map((d) => ({
      name: d.name,
      version: d.version,
      tables: d.tables,
      onPoisonEvent: d.onPoisonEvent,
      deployed: { fileName: d.fileName, deployedAt: d.deployedAt.toISOString() },
    })),
  ];
}
