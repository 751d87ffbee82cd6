import type { Knex } from 'knex';
import { knownProjections, listGenerations, projectionStatuses, type Generation, type GenerationStatus } from '@mpp/projection-runner';
import { findProjection, flag, onePositional, positiveNumber } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT, writeLine, type CliContext } from '../cli-context.js';
import { renderFields, renderTable } from '../text-table.js';

export interface StatusOptions {
  name: string;
  json: boolean;
  /** How many of the newest dead letters to show. */
  deadLetters: number;
}

export interface DeadLetterRow {
  generation: number;
  position: string;
  eventId: string;
  streamId: string;
  eventType: string;
  error: string;
  parkedAt: string;
}

/** One projection in detail: serving and building generations, scratch replays, newest dead letters. */
export async function projectionStatus(context: CliContext, options: StatusOptions): Promise<number> {
  // Deployed projections are known only to the database, so the name is resolved here, not when parsing.
  const projection = findProjection(await knownProjections(context.knex, context.projections), options.name);
  const head = await context.store.headPosition();
  const [status] = await projectionStatuses(context.knex, [projection], head, context.store.kind);
  const generations = await listGenerations(context.knex, projection.name);
  const schemaOf = (g: GenerationStatus | null) => generations.find((row) => row.generation === g?.generation)?.schemaName ?? null;
  const replays = generations.filter((g) => g.state === 'replay');
  const deadLetters = await newestDeadLetters(context.knex, projection.name, options.deadLetters);
  const deadLetterTotal = (status.active?.deadLetters ?? 0) + (status.building?.deadLetters ?? 0);

  if (options.json) {
    const withSchema = (g: GenerationStatus | null) => g && { ...g, schema: schemaOf(g) };
    writeLine(context.out, JSON.stringify({
      name: projection.name,
      version: projection.version,
      onPoisonEvent: projection.onPoisonEvent,
      tables: projection.tables,
      deployed: projection.deployed ?? null,
      head: head.toString(),
      active: withSchema(status.active),
      building: withSchema(status.building),
      replays: replays.map(describeReplay),
      deadLetters,
    }, null, 2));
    return EXIT.ok;
  }

  const out = (text: string) => writeLine(context.out, text);
  out(renderFields([
    ['projection', `${projection.name} (code version ${projection.version}, on poison event: ${projection.onPoisonEvent ?? 'unknown'})`],
    ...(projection.deployed ? [['deployed', `from ${projection.deployed.fileName} at ${projection.deployed.deployedAt}`] as [string, string]] : []),
    ['tables', projection.tables?.join(', ') ?? 'unknown (deployed before they were recorded)'],
    ['head position', head.toString()],
  ]));
  for (const [label, generation] of [['active', status.active], ['building', status.building]] as const) {
    out('');
    if (!generation) {
      out(`${label}: none`);
      continue;
    }
    out(`${label}: generation ${generation.generation}, version ${generation.version}, schema ${schemaOf(generation)}`);
    out(renderFields(generationFields(generation, head), '  '));
  }
  out('');
  if (replays.length === 0) out('replays: none');
  else {
    out('replays (scratch schemas of `mpp projections replay`):');
    out(indent(renderTable(['SCHEMA', 'GENERATION', 'VERSION', 'POSITION', 'EVENTS', 'STARTED'], replays.map((g) => {
      const r = describeReplay(g);
      return [r.schema, String(r.generation), `v${r.version}`, r.position, String(r.eventsProcessed), r.startedAt];
    }))));
  }
  out('');
  out(`dead letters: ${deadLetterTotal} in the active and building generations${deadLetters.length > 0 ? `; newest ${deadLetters.length} of any generation:` : ''}`);
  if (deadLetters.length > 0) {
    out(indent(renderTable(
      ['PARKED AT', 'GEN', 'POSITION', 'TYPE', 'STREAM', 'EVENT ID', 'ERROR'],
      deadLetters.map((d) => [d.parkedAt, String(d.generation), d.position, d.eventType, d.streamId, d.eventId, d.error]),
    )));
  }
  return EXIT.ok;
}

function generationFields(g: GenerationStatus, head: bigint): [string, string][] {
  return [
    ['state', g.state],
    ['position', `${g.position} of ${head} (lag ${g.lagEvents ?? 'unknown number of'} events, ${g.lagMs} ms)`],
    ['events/s', String(Math.round(g.eventsPerSecond))],
    ['processed', `${g.eventsProcessed} events`],
    ['dead letters', String(g.deadLetters)],
    ['updated at', g.updatedAt],
    ['error', g.error ?? '-'],
  ];
}

function describeReplay(g: Generation) {
  return {
    schema: g.schemaName,
    generation: g.generation,
    version: g.version,
    position: g.position.toString(),
    eventsProcessed: g.eventsProcessed,
    startedAt: g.startedAt.toISOString(),
  };
}

const indent = (text: string) => text.split('\n').map((line) => `  ${line}`).join('\n');

export async function newestDeadLetters(knex: Knex, projection: string, limit: number): Promise<DeadLetterRow[]> {
  const rows: { generation: number; position: number | string; event_id: string; stream_id: string; event_type: string; error: string; parked_at: Date }[] =
    await knex('projection_dead_letters')
      .where({ projection })
      .orderBy('id', 'desc')
      .limit(limit)
      .select('generation', 'position', 'event_id', 'stream_id', 'event_type', 'error', 'parked_at');
  return rows.map((r) => ({
    generation: r.generation,
    position: String(r.position),
    eventId: r.event_id,
    streamId: r.stream_id,
    eventType: r.event_type,
    error: r.error,
    parkedAt: r.parked_at.toISOString(),
  }));
}

export const projectionsStatusCommand: CliCommand<StatusOptions> = {
  words: ['projections', 'status'],
  usage: `mpp projections status <name> [--json] [--dead-letters N]
  One projection (built-in or deployed) in detail: the serving (active) generation, the one being
  built if any, scratch replays, and the newest dead letters with their errors.
  --dead-letters N   how many dead letters to show (default 10)
  --json             the same as JSON`,
  options: { json: { type: 'boolean' }, 'dead-letters': { type: 'string' } },
  parse: (args) => ({
    name: onePositional(args, 'name'),
    json: flag(args, 'json'),
    deadLetters: Math.floor(positiveNumber(args, 'dead-letters', 10)),
  }),
  run: projectionStatus,
};
