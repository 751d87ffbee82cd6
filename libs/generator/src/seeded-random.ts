import { createHash } from 'node:crypto';

/**
 * A small, fast, seeded PRNG (sfc32, seeded from a SHA-256 of the seed and a label) so the scale
 * generator is reproducible: the same seed gives the same events on any machine and Node version,
 * which `Math.random` cannot promise. A generator per entity (`new SeededRandom(seed, 'part', 42)`)
 * lets a pure function recompute one entity, a part and its fitment, without replaying everything
 * generated before it.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string, ...labels: readonly (string | number)[]) {
    const digest = createHash('sha256').update(JSON.stringify([seed, ...labels])).digest();
    this.a = digest.readUInt32LE(0);
    this.b = digest.readUInt32LE(4);
    this.c = digest.readUInt32LE(8);
    this.d = digest.readUInt32LE(12) | 1;
    // The first outputs of sfc32 are weakly mixed; discard a few, as its author recommends.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, max). */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Picks by relative weights, e.g. `weighted([['a', 3], ['b', 1]])` gives 'a' three times as often. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }

  /** A random (version 4 shaped) UUID from this generator's stream. */
  uuid(): string {
    return formatUuid(this.nextUint32(), this.nextUint32(), this.nextUint32(), this.nextUint32());
  }
}

/**
 * A UUID that is a pure function of the seed and a key, for ids other events refer to later
 * (verifications, builds, users): they can be recomputed from a counter instead of being kept.
 */
export function stableUuid(seed: string, kind: string, n: number): string {
  const digest = createHash('md5').update(`${seed}\u0000${kind}\u0000${n}`).digest();
  return formatUuid(digest.readUInt32BE(0), digest.readUInt32BE(4), digest.readUInt32BE(8), digest.readUInt32BE(12));
}

const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Hot: three per generated event, hence the table instead of toString(16). */
function formatUuid(w0: number, w1: number, w2: number, w3: number): string {
  const hex = (word: number) => BYTE_HEX[word >>> 24]! + BYTE_HEX[(word >>> 16) & 0xff]! + BYTE_HEX[(word >>> 8) & 0xff]! + BYTE_HEX[word & 0xff]!;
  const version = ((w1 & 0xffff0fff) | 0x00004000) >>> 0;
  const variant = ((w2 & 0x3fffffff) | 0x80000000) >>> 0;
  const b = hex(version);
  const c = hex(variant);
  return `${hex(w0)}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${hex(w3)}`;
}
