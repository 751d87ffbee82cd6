import { openPersonalText, sealedTextOwners } from '@mpp/domain';
import { readUserKeys } from '@mpp/db';
import type { RecordedEvent } from '@mpp/event-store';
import type { ProjectionContext } from '@mpp/projection-runner';

/** Owner id -> key, for the owners a batch's sealed text names (docs/domain.md "Sealed free text"). */
export type UserKeys = ReadonlyMap<string, Buffer>;

/**
 * Read once per batch, in the batch's transaction: a rebuild after an erasure finds no key and so
 * never writes the text; a projection that ran before it drops the text on UserErased.
 */
export async function readKeysFor(ctx: ProjectionContext, events: readonly RecordedEvent[]): Promise<UserKeys> {
  return readUserKeys(ctx.trx, events.flatMap((event) => sealedTextOwners(event.metadata)));
}

/** The event with its sealed free text opened; a member that cannot be opened keeps its commitment. */
export function openedEvent(event: RecordedEvent, keys: UserKeys): RecordedEvent {
  return { ...event, data: openPersonalText(event.type, event.data, event.metadata, keys).data };
}

/** For a projection that handles one event at a time: the keys its sealed text names, read in its transaction. */
export async function openedOne(ctx: ProjectionContext, event: RecordedEvent): Promise<RecordedEvent> {
  return openedEvent(event, await readKeysFor(ctx, [event]));
}

/** A free-text member as its author wrote it; null when absent, erased or not matching its commitment. */
export function openedPersonalText(event: RecordedEvent, keys: UserKeys, field: string): string | null {
  const value = openPersonalText(event.type, event.data, event.metadata, keys).data[field];
  return typeof value === 'string' ? value : null;
}
