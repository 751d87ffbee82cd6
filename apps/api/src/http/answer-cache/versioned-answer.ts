import type { Knex } from '@mpp/db';
import { catalogProjection } from '@mpp/projections';

/**
 * What a cacheable query handler returns: the body, the read-model keys it was derived from, and
 * the version of those keys read in the same snapshot as its rows. The answer interceptor turns it
 * into a response with a strong ETag and keeps it until one of its keys changes.
 */
export class VersionedAnswer<T = unknown> {
  constructor(
    readonly body: T,
    readonly label: {
      /** Read-model keys (`bike:<id>`, `part:<id>`, `catalog`, `generation:<projection>`, ...): a change to any evicts the answer. */
      keys: readonly string[];
      /** Position of the last event that changed those keys, as read with the rows. */
      version: string;
      /** When the clock alone changes the body (a price turning stale); the answer is recomputed after it. */
      validUntil?: number;
      /** Distinguishes bodies of one version that differ by the clock (how many prices are stale). */
      variant?: string;
    },
  ) {}
}

const GENERATION = 'generation:';

/** Evicted from every cache when the projection's serving generation changes (blue/green switch). */
export const generationKey = (projection: string): string => `${GENERATION}${projection}`;

/** The projections whose serving generation an answer's keys name. */
export const generationsNamed = (keys: readonly string[]): string[] => keys.filter((key) => key.startsWith(GENERATION)).map((key) => key.slice(GENERATION.length));
/**
 * The label of an answer about one part, read from a projection with per-part versions: kept until
 * the part's key moves or that projection's generation switches — or the catalog's, since the part
 * (and the bikes or retailers the answer names) come from the catalog.
 */
export const perPartLabel = (projection: string, partKey: string, version: string): VersionedAnswer['label'] => ({
  keys: [partKey, generationKey(projection), generationKey(catalogProjection.name)],
  version,
});

/** Evicted on every batch the projection commits: for answers read from a projection without per-key versions. */
export const projectionKey = (projection: string): string => `projection:${projection}`;

/**
 * An answer read from the tables of projections without per-key versions: kept until a batch that
 * changes one of them commits (or its generation switches), labelled with their checkpoints, read
 * before the rows so the label is never newer than the answer.
 */
export async function versionedByProjections<T>(knex: Knex, projections: readonly string[], read: () => Promise<T>): Promise<VersionedAnswer<T>> {
  const checkpoints: { projection: string; position: string }[] = await knex('projection_checkpoints').whereIn('projection', projections).andWhere({ state: 'active' }).select('projection', 'position');
  const version = projections.map((name) => checkpoints.find((c) => c.projection === name)?.position ?? '0').join('-');
  const body = await read();
  return new VersionedAnswer(body, { keys: projections.flatMap((name) => [projectionKey(name), generationKey(name)]), version });
}
