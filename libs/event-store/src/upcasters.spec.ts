import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from './event-store.port.js';
import { UpcasterRegistry } from './upcasters.js';

function recorded(type: string, data: Record<string, unknown>, schemaVersion: number): RecordedEvent {
  return {
    streamId: 'bike-1',
    revision: 0n,
    position: 1n,
    eventId: '00000000-0000-4000-8000-000000000001',
    type,
    data,
    metadata: { correlationId: 'c', causationId: 'c', actor: 'system:test', schemaVersion, occurredAt: '2026-01-01T00:00:00.000Z' },
    createdAt: new Date('2026-01-01T00:00:00.000Z'),
  };
}

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry([
    { type: 'BikeRegistered', fromSchemaVersion: 1, upcast: (data) => ({ ...data, engineCc: null }) },
    { type: 'BikeRegistered', fromSchemaVersion: 2, upcast: ({ model, ...rest }) => ({ ...rest, modelName: model }) },
  ]);

  it('brings an event through every later version and records the version it reached', () => {
    const upcast = registry.upcast(recorded('BikeRegistered', { bikeId: 'b', model: 'MT-07' }, 1));
    expect(upcast.data).toEqual({ bikeId: 'b', engineCc: null, modelName: 'MT-07' });
    expect(upcast.metadata.schemaVersion).toBe(3);
    expect(upcast.metadata.actor).toBe('system:test');
  });

  it('starts from the version the event was written in', () => {
    const upcast = registry.upcast(recorded('BikeRegistered', { bikeId: 'b', model: 'MT-07', engineCc: 689 }, 2));
    expect(upcast.data).toEqual({ bikeId: 'b', engineCc: 689, modelName: 'MT-07' });
    expect(upcast.metadata.schemaVersion).toBe(3);
  });

  it('returns an event of the current version or of another type unchanged', () => {
    const current = recorded('BikeRegistered', { bikeId: 'b', modelName: 'MT-07', engineCc: 689 }, 3);
    const other = recorded('PartCataloged', { partId: 'p' }, 1);
    expect(registry.upcast(current)).toBe(current);
    expect(registry.upcast(other)).toBe(other);
  });

  it('leaves the stored event untouched', () => {
    const stored = recorded('BikeRegistered', { bikeId: 'b', model: 'MT-07' }, 1);
    registry.upcast(stored);
    expect(stored.data).toEqual({ bikeId: 'b', model: 'MT-07' });
    expect(stored.metadata.schemaVersion).toBe(1);
  });

  it('refuses two upcasters for the same type and version', () => {
    expect(() => registry.register({ type: 'BikeRegistered', fromSchemaVersion: 1, upcast: (data) => data })).toThrow(
      /already registered/,
    );
  });

  it('refuses a schema version below 1', () => {
    expect(() => new UpcasterRegistry([{ type: 'X', fromSchemaVersion: 0, upcast: (data) => data }])).toThrow(RangeError);
  });
});
