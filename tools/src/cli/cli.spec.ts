import { describe, expect, it } from '@jest/globals';
import { ALL_PROJECTIONS } from '@mpp/projections';
import { runCli, type CliIo } from './cli.js';
import { CliUsageError } from './cli-context.js';
import { parseUntil } from './commands/projections-replay.js';
import { checkScratchSchemaName } from './scratch-schema.js';
import { captureOutput } from './testing/cli-test-context.js';

function io(): CliIo & { out: ReturnType<typeof captureOutput>; err: ReturnType<typeof captureOutput> } {
  return {
    out: captureOutput(),
    err: captureOutput(),
    signal: new AbortController().signal,
    projections: ALL_PROJECTIONS,
    connect: () => Promise.reject(new Error('a usage error must not open a database')),
  };
}

describe('mpp argument handling', () => {
  it('prints the overview without connecting', async () => {
    const cli = io();
    expect(await runCli([], cli)).toBe(0);
    expect(cli.out.text()).toContain('projections replay <name> --schema <scratch>');
  });

  it.each([
    [['projections', 'replay', 'catalog', '--schema', 'public']],
    [['projections', 'replay', 'catalog', '--schema', 'rm_catalog_v1_g1']],
    [['projections', 'replay', 'catalog', '--schema', 'x"; DROP SCHEMA public; --']],
    [['projections', 'replay', 'catalog']],
    [['projections', 'replay', 'catalog', '--schema', 'scratch_a', '--until', 'yesterday']],
    [['projections', 'replay', 'catalog', '--schema', 'scratch_a', '--until', '2025-03-01T12:00:00']],
    [['projections', 'rebuild', 'catalog', '--stall-timeout', '5']],
    [['events', 'export', '--stream', 'bike-1', '--stream-prefix', 'bike-']],
    [['events', 'export', '--from-position', '-3']],
    [['events', 'export', '--frm', '2025-01-01']],
    [['audit', 'verify', '--stream', 'bike-1']],
    [['projections', 'frobnicate']],
    [['projections', 'replay', 'catalog', '--file', 'x.projection.ts', '--schema', 'scratch_a']],
    [['projections', 'test']],
    [['analysts', 'grant']],
    [['analysts', 'grant', 'pg_read_all_data']],
    [['events', 'export', '--format', 'xlsx']],
  ])('rejects %j with exit code 2 before opening a database', async (argv) => {
    const cli = io();
    expect(await runCli(argv, cli)).toBe(2);
    expect(cli.err.text()).toMatch(/^mpp/);
  });

  it('shows a command\'s options with --help', async () => {
    const cli = io();
    expect(await runCli(['events', 'export', '--help'], cli)).toBe(0);
    expect(cli.out.text()).toContain('--stream-prefix P');
  });
});

describe('replay targets', () => {
  it('reads --until as when it happened and --recorded-until as when it was recorded, positions meaning the same on both', () => {
    expect(parseUntil({ until: '1234' })).toEqual({ position: 1234n });
    expect(parseUntil({ recordedUntil: '1234' })).toEqual({ position: 1234n });
    expect(parseUntil({ until: '2025-03-01T12:30:00+02:00' })).toEqual({ occurredAt: new Date('2025-03-01T10:30:00.000Z') });
    expect(parseUntil({ recordedUntil: '2025-03-01T12:30:00Z' })).toEqual({ recordedAt: new Date('2025-03-01T12:30:00.000Z') });
    expect(parseUntil({ until: '2025-03-01T00:00:00Z', recordedUntil: '99' })).toEqual({ occurredAt: new Date('2025-03-01T00:00:00Z'), position: 99n });
    expect(parseUntil({})).toBeUndefined();
  });

  it('refuses a time without an offset or a bare date, as the API refuses asOf, naming the option', () => {
    expect(() => parseUntil({ until: '2025-03-01T12:30:00' })).toThrow(/--until must be a log position/);
    expect(() => parseUntil({ recordedUntil: '2025-03-01' })).toThrow(/--recorded-until must be a log position/);
    expect(() => parseUntil({ until: 'yesterday' })).toThrow(CliUsageError);
  });

  it('accepts plain scratch names and refuses serving, system and unsafe ones', () => {
    expect(checkScratchSchemaName('scratch_2025_03')).toBe('scratch_2025_03');
    for (const name of ['public', 'rm_compatibility_v1_g2', 'pg_catalog', 'information_schema', 'Scratch', '1scratch', 'a-b', 'a'.repeat(64), '']) {
      expect(() => checkScratchSchemaName(name)).toThrow(CliUsageError);
    }
  });
});
