import type { EventMetadata, RecordedEvent } from './event-store.port.js';

/**
 * Turns the data of one schema version of an event type into the data of the next version.
 * Must be pure and must not mutate its input: the same stored event is upcast on every read.
 */
export type Upcast = (data: Record<string, unknown>, metadata: Readonly<EventMetadata>) => Record<string, unknown>;

export interface UpcasterDefinition {
  type: string;
  /** The version the function reads; it returns data of version `fromSchemaVersion + 1`. */
  fromSchemaVersion: number;
  upcast: Upcast;
}

/**
 * Upcasters by (event type, schema version), applied on read so that consumers only ever see the
 * current shape of an event. Stored events are never rewritten: history stays as it was written
 * (and hash chains over it stay valid), and an upcaster can be fixed by shipping a new one.
 */
export class UpcasterRegistry {
  private readonly byType = new Map<string, Map<number, Upcast>>();

  constructor(definitions: Iterable<UpcasterDefinition> = []) {
    for (const definition of definitions) this.register(definition);
  }

  register({ type, fromSchemaVersion, upcast }: UpcasterDefinition): this {
    if (!Number.isInteger(fromSchemaVersion) || fromSchemaVersion < 1) {
      throw new RangeError(`upcaster for ${type}: fromSchemaVersion must be an integer >= 1, got ${fromSchemaVersion}`);
    }
    const versions = this.byType.get(type) ?? new Map<number, Upcast>();
    if (versions.has(fromSchemaVersion)) {
      throw new Error(`an upcaster for ${type} from schema version ${fromSchemaVersion} is already registered`);
    }
    versions.set(fromSchemaVersion, upcast);
    this.byType.set(type, versions);
    return this;
  }

  /** The event in its newest registered shape; the same object when no upcaster applies. */
  upcast(event: RecordedEvent): RecordedEvent {
    const versions = this.byType.get(event.type);
    if (!versions) return event;
    let { data, metadata } = event;
    let upcast = versions.get(metadata.schemaVersion);
    if (!upcast) return event;
    while (upcast) {
      data = upcast(data, metadata);
      metadata = { ...metadata, schemaVersion: metadata.schemaVersion + 1 };
      upcast = versions.get(metadata.schemaVersion);
    }
    return { ...event, data, metadata };
  }
}

export function createUpcasterRegistry(definitions: Iterable<UpcasterDefinition> = []): UpcasterRegistry {
  return new UpcasterRegistry(definitions);
}
