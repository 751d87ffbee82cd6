import type { RecordedEvent } from '@mpp/event-store';
import { readableBuildName, readableBuildParts } from '@mpp/domain';
import { dataOf, occurredAt } from '../shared/recorded-event.js';

/**
 * The builds projection's handlers as a pure fold over a run of build events (no erasure inside:
 * an erasure deletes by owner, which only the table knows), for its bulk form. The events come
 * opened (personal-text.ts): a name or note still sealed reads as unreadable, never as ciphertext.
 */

export interface BuildRow {
  id: string;
  owner_id: string;
  name: string;
  bike_id: string;
  visibility: string;
  revision: number;
  created_at: string;
  updated_at: string;
  deleted: boolean;
  deleted_at: string | null;
}

export interface BuildPartRow {
  build_id: string;
  part_id: string;
  quantity: number;
  note: string | null;
  position: number;
}

export interface BuildWrites {
  /** The rows the run created or changed, as they stand after it (keyed by lower-case id). */
  builds: BuildRow[];
  /** Builds whose parts list the run replaced (or removed), with the list that now stands. */
  parts: Map<string, BuildPartRow[]>;
}

/** The build ids (lower case) a run reads from the table before folding. */
export function buildIdsOf(events: readonly RecordedEvent[]): string[] {
  return [...new Set(events.map((event) => buildIdOf(event).toLowerCase()))];
}

function buildIdOf(event: RecordedEvent): string {
  switch (event.type) {
    case 'BuildCreated':
      return dataOf(event, 'BuildCreated').buildId;
    case 'BuildUpdated':
      return dataOf(event, 'BuildUpdated').buildId;
    case 'BuildDeleted':
      return dataOf(event, 'BuildDeleted').buildId;
    default:
      throw new TypeError(`${event.type} is not a build event`);
  }
}

export function createdRow(event: RecordedEvent): BuildRow {
  const build = dataOf(event, 'BuildCreated');
  const at = occurredAt(event).toISOString();
  return {
    id: build.buildId,
    owner_id: build.ownerId,
    name: readableBuildName(build.name),
    bike_id: build.bikeId,
    visibility: build.visibility,
    revision: 1,
    created_at: at,
    updated_at: at,
    deleted: false,
    deleted_at: null,
  };
}

/** The fields a BuildUpdated sets on the build row; the event is a snapshot of the build. */
export function updatedFields(event: RecordedEvent): Pick<BuildRow, 'name' | 'bike_id' | 'visibility' | 'revision' | 'updated_at'> {
  const build = dataOf(event, 'BuildUpdated');
  return { name: readableBuildName(build.name), bike_id: build.bikeId, visibility: build.visibility, revision: build.revision, updated_at: occurredAt(event).toISOString() };
}

/** The parts list a BuildUpdated carries, order included, as rows. */
export function partRowsOf(event: RecordedEvent): BuildPartRow[] {
  const build = dataOf(event, 'BuildUpdated');
  return readableBuildParts(build.parts).map((part, index) => ({ build_id: build.buildId, part_id: part.partId, quantity: part.quantity, note: part.note ?? null, position: index }));
}

/** Build revision = stream revision + 1 (docs/domain.md), so the delete has one too. */
export function deletedFields(event: RecordedEvent): Pick<BuildRow, 'deleted' | 'deleted_at' | 'updated_at' | 'revision'> {
  const at = occurredAt(event).toISOString();
  return { deleted: true, deleted_at: at, updated_at: at, revision: Number(event.revision) + 1 };
}

/** The run folded in log order from the rows the table holds for its builds. */
export function foldBuilds(events: readonly RecordedEvent[], held: ReadonlyMap<string, BuildRow>): BuildWrites {
  const rows = new Map(held);
  const changed = new Set<string>();
  const parts = new Map<string, BuildPartRow[]>();
  for (const event of events) {
    const id = buildIdOf(event).toLowerCase();
    const row = rows.get(id);
    switch (event.type) {
      case 'BuildCreated':
        // A second creation of an id is a retry: the row there stays.
        if (row) continue;
        rows.set(id, createdRow(event));
        break;
      case 'BuildUpdated':
        if (!row) throw new Error(`BuildUpdated for build ${buildIdOf(event)}, which was never created`);
        rows.set(id, { ...row, ...updatedFields(event) });
        parts.set(id, partRowsOf(event));
        break;
      case 'BuildDeleted':
        // The handler's update finds no row and its delete no parts: nothing to do.
        if (!row) continue;
        rows.set(id, { ...row, ...deletedFields(event) });
        parts.set(id, []);
        break;
    }
    changed.add(id);
  }
  return { builds: [...changed].map((id) => rows.get(id)!), parts };
}
