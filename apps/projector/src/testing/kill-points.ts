import { createHash } from 'node:crypto';

/**
 * Where a crash test kills the projector: `count` fractions of the log in (0.05, 0.7), ascending,
 * from a seed, so a failing run names the points to reproduce it. Kills are placed by progress
 * (the slowest projection passing a fraction of the head), not by wall-clock delays, so they land
 * mid-build on a slow machine and a fast one alike. Not past 0.7: since the projections of a
 * rebuild advance together (one reading of the log), a kill placed at 0.86 of 20,000 events once
 * landed after the last batch on a quiet machine, and a kill that interrupts nothing tests nothing.
 */
export function killPoints(seed: string, count: number): { fractions: number[]; jitterMs: () => number } {
  const next = mulberry32(createHash('sha256').update(seed).digest().readUInt32LE(0));
  const fractions = Array.from({ length: count }, () => 0.05 + next() * 0.65).sort((a, b) => a - b);
  // A few milliseconds more, so the kill falls anywhere inside a batch's transaction, not only between them.
  return { fractions, jitterMs: () => Math.floor(next() * 40) };
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
