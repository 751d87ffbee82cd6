import { knownProjections, projectionStatusesWithOwners, type GenerationStatus, type OwnedProjectionStatus } from '@mpp/projection-runner';
import { flag, noPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT, writeLine, type CliContext } from '../cli-context.js';
import { renderTable } from '../text-table.js';

export interface ListOptions {
  json: boolean;
}

/** The same figures as `GET /api/admin/projections`, read from projection_checkpoints. */
export async function listProjections(context: CliContext, options: ListOptions): Promise<number> {
  const head = await context.store.headPosition();
  const items = await projectionStatusesWithOwners(context.knex, await knownProjections(context.knex, context.projections), head, context.store.kind);
  if (options.json) {
    writeLine(context.out, JSON.stringify({ head: head.toString(), items }, null, 2));
    return EXIT.ok;
  }
  writeLine(context.out, `head position ${head}`);
  writeLine(context.out, renderTable(
    ['NAME', 'CODE', 'ACTIVE', 'POSITION', 'LAG EVENTS', 'LAG MS', 'EVENTS/S', 'STATE', 'DEAD LETTERS', 'BUILDING', 'OWNER'],
    items.map((item) => row(item, head)),
  ));
  return EXIT.ok;
}

function row(item: OwnedProjectionStatus, head: bigint): string[] {
  const { active, building } = item;
  return [
    item.origin === 'deployed' ? `${item.name} (deployed)` : item.name,
    `v${item.version}`,
    active ? `g${active.generation} v${active.version}` : '-',
    active?.position ?? '-',
    active ? String(active.lagEvents ?? 'unknown') : '-',
    active ? String(active.lagMs) : '-',
    active ? String(Math.round(active.eventsPerSecond)) : '-',
    active?.state ?? 'none',
    String((active?.deadLetters ?? 0) + (building?.deadLetters ?? 0)),
    building ? describeBuilding(building, head) : '-',
    item.owner ? `${item.owner.id}${item.owner.expired ? ' (expired)' : ''}` : '-',
  ];
}

export function describeBuilding(building: GenerationStatus, head: bigint): string {
  const percent = head === 0n ? 100 : Math.floor((Number(building.position) * 100) / Number(head));
  return `g${building.generation} v${building.version} ${building.state} ${building.position}/${head} (${percent}%)`;
}

export const projectionsListCommand: CliCommand<ListOptions> = {
  words: ['projections', 'list'],
  usage: `mpp projections list [--json]
  Every projection, built-in and deployed (projections deploy): code version, active generation,
  position, lag (events, ms), events/s, state, dead letters, and the generation being built if any.
  --json   the same as JSON ({ head, items }, as GET /api/admin/projections)`,
  options: { json: { type: 'boolean' } },
  parse: (args) => {
    noPositionals(args);
    return { json: flag(args, 'json') };
  },
  run: listProjections,
};
