import { describe, expect, it } from '@jest/globals';
import { embeddedServerSettings } from './embedded-postgres.js';

const GB = 1024 ** 3;

describe('embeddedServerSettings', () => {
  it('gives the shared buffers an eighth of the memory', () => {
    expect(embeddedServerSettings(8 * GB).shared_buffers).toBe('1024MB');
  });

  it('never goes below initdb default of 128 MB on a small machine', () => {
    expect(embeddedServerSettings(0.5 * GB).shared_buffers).toBe('128MB');
  });

  it('stops at 2 GB on a large machine', () => {
    expect(embeddedServerSettings(64 * GB).shared_buffers).toBe('2048MB');
  });

  it('spaces checkpoints out beyond the defaults (1 GB of WAL, 5 minutes)', () => {
    expect(embeddedServerSettings(8 * GB)).toMatchObject({ max_wal_size: '4GB', checkpoint_timeout: '15min' });
  });
});
