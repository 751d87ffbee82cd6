import { describe, expect, it } from '@jest/globals';
import { AnswerCache, type AnswerCacheCounters, type CachedAnswer } from './answer-cache.js';

const counters = (): AnswerCacheCounters & { evictions: Record<string, number>; joins: number; refusals: number } => {
  const evictions: Record<string, number> = {};
  return {
    evictions,
    joins: 0,
    refusals: 0,
    hit: () => undefined,
    miss: () => undefined,
    joined() { this.joins += 1; },
    refused() { this.refusals += 1; },
    evicted: (reason, count = 1) => void (evictions[reason] = (evictions[reason] ?? 0) + count),
  };
};
const answer = (keys: string[], bytes = 100, validUntil = Number.POSITIVE_INFINITY): CachedAnswer => ({ family: 'f', route: '/r', identity: Buffer.alloc(bytes), etag: '"e"', keys, validUntil });

describe('AnswerCache', () => {
  it('evicts the answers of a changed key and keeps the others', () => {
    const cache = new AnswerCache(1_000_000, counters());
    cache.store('a', answer(['bike:1']), cache.mark());
    cache.store('b', answer(['bike:2']), cache.mark());
    cache.invalidate(['bike:1']);
    expect(cache.get('f', 'a', 0)).toBeUndefined();
    expect(cache.get('f', 'b', 0)).toBeDefined();
  });

  it('holds an answer with an added encoding, counts the added bytes, and follows its keys', () => {
    const cache = new AnswerCache(1_000_000, counters());
    const plain = answer(['bike:1'], 1_000);
    cache.store('a', plain, cache.mark());
    const before = cache.bytes;
    const brotli = Buffer.alloc(300);
    cache.addEncodings('a', { ...plain, br: brotli });
    expect(cache.get('f', 'a', 0)!.br).toBe(brotli);
    expect(cache.bytes).toBe(before + 300);
    cache.invalidate(['bike:1']);
    expect(cache.get('f', 'a', 0)).toBeUndefined();
  });

  it('holds both encodings when two copies of one answer, each compressed from the original, are added', () => {
    const cache = new AnswerCache(1_000_000, counters());
    const plain = answer(['bike:1'], 1_000);
    cache.store('a', plain, cache.mark());
    const [brotli, gzip] = [Buffer.alloc(300), Buffer.alloc(400)];
    cache.addEncodings('a', { ...plain, br: brotli });
    cache.addEncodings('a', { ...plain, gzip });
    const held = cache.get('f', 'a', 0)!;
    expect(held.br).toBe(brotli);
    expect(held.gzip).toBe(gzip);
  });

  it('does not bring back an answer evicted or recomputed while it was being compressed', () => {
    const cache = new AnswerCache(1_000_000, counters());
    const plain = answer(['bike:1']);
    cache.store('a', plain, cache.mark());
    cache.invalidate(['bike:1']);
    cache.addEncodings('a', { ...plain, br: Buffer.alloc(10) });
    expect(cache.get('f', 'a', 0)).toBeUndefined();

    const newer = answer(['bike:1']);
    cache.store('a', newer, cache.mark());
    cache.addEncodings('a', { ...plain, br: Buffer.alloc(10) });
    expect(cache.get('f', 'a', 0)).toBe(newer);
  });

  it('refuses an answer whose key changed while it was being computed', () => {
    const spy = counters();
    const cache = new AnswerCache(1_000_000, spy);
    const mark = cache.mark();
    cache.invalidate(['bike:1']);
    expect(cache.store('a', answer(['bike:1']), mark)).toBe(false);
    expect(cache.store('b', answer(['bike:2']), mark)).toBe(true);
    expect(spy.refusals).toBe(1);
  });

  it('keeps an answer computed across any number of changes to other keys, and refuses one whose key changed among them', () => {
    const cache = new AnswerCache(1_000_000, counters());
    const mark = cache.mark();
    for (let i = 0; i < 1_000; i++) cache.invalidate([`part:${i}`]);
    expect(cache.store('a', answer(['bike:2']), mark)).toBe(true);
    expect(cache.store('b', answer(['bike:2', 'part:7']), mark)).toBe(false);
  });

  it('refuses every answer in flight across a flush, or across more changed keys than it remembers', () => {
    const cache = new AnswerCache(1_000_000, counters(), 100);
    const beforeFlush = cache.mark();
    cache.flush();
    expect(cache.store('a', answer(['bike:2']), beforeFlush)).toBe(false);
    const beforeMany = cache.mark();
    for (let i = 0; i < 101; i++) cache.invalidate([`part:${i}`]);
    expect(cache.store('b', answer(['bike:2']), beforeMany)).toBe(false);
    // Begun after the oldest forgotten change: checked against the changes still remembered.
    const afterForgetting = cache.mark();
    cache.invalidate(['part:500']);
    expect(cache.store('c', answer(['bike:2']), afterForgetting)).toBe(true);
    expect(cache.store('d', answer(['part:500']), afterForgetting)).toBe(false);
  });

  it('drops the least recently used answers to stay within its byte budget', () => {
    const spy = counters();
    const cache = new AnswerCache(2_000, spy);
    for (let i = 0; i < 10; i++) cache.store(`k${i}`, answer([`bike:${i}`], 400), cache.mark());
    expect(cache.bytes).toBeLessThanOrEqual(2_000);
    expect(cache.get('f', 'k9', 0)).toBeDefined();
    expect(cache.get('f', 'k0', 0)).toBeUndefined();
    expect(spy.evictions.budget).toBeGreaterThan(0);
    // An evicted answer leaves no index behind: invalidating its key evicts nothing more.
    cache.invalidate(['bike:0']);
    expect(spy.evictions.changed ?? 0).toBe(0);
  });

  it('stops serving an answer once the clock has changed it', () => {
    const cache = new AnswerCache(1_000_000, counters());
    cache.store('a', answer(['part:1'], 10, 5_000), cache.mark());
    expect(cache.get('f', 'a', 4_999)).toBeDefined();
    expect(cache.get('f', 'a', 5_000)).toBeUndefined();
  });

  describe('single flight', () => {
    /** A computation the test finishes by hand, counting how often it was started. */
    const gate = () => {
      let release!: (value: CachedAnswer | undefined) => void;
      let fail!: (error: Error) => void;
      const pending = new Promise<CachedAnswer | undefined>((resolve, reject) => {
        release = resolve;
        fail = reject;
      });
      const started: number[] = [];
      /** Finishes with an answer on part:1 (of `bytes`, to tell two answers apart) and gives it back. */
      const finish = (bytes?: number) => {
        const computed = answer(['part:1'], bytes);
        release(computed);
        return computed;
      };
      return { started, release, finish, fail, compute: (mark: number) => (started.push(mark), pending) };
    };
    /** A cache and its counters; every case asks for the same key, computed (or joined) by `ask(gate)`. */
    const flight = () => {
      const spy = counters();
      const cache = new AnswerCache(1_000_000, spy);
      return { spy, cache, ask: (computation: ReturnType<typeof gate>) => cache.computeOnce('f', 'a', computation.compute) };
    };

    it('computes once for two concurrent misses on one key, and both get the answer', async () => {
      const { spy, ask } = flight();
      const computation = gate();
      const [first, second] = [ask(computation), ask(computation)];
      const computed = computation.finish();
      expect(await first).toBe(computed);
      expect(await second).toBe(computed);
      expect(computation.started).toHaveLength(1);
      expect(spy.joins).toBe(1);
    });

    it('does not give a joiner the answer of a computation one of whose keys changed while it ran', async () => {
      const { cache, ask } = flight();
      const [before, after] = [gate(), gate()];
      const first = ask(before);
      cache.invalidate(['part:1']);
      const second = ask(after);
      before.finish();
      after.finish(50);
      expect((await second)!.identity.length).toBe(50);
      expect(after.started).toHaveLength(1);
      await first;
    });

    it('gives a joiner the answer of a computation begun before changes to other keys', async () => {
      const { cache, ask } = flight();
      const [before, after] = [gate(), gate()];
      const first = ask(before);
      cache.invalidate(['part:2']);
      const second = ask(after);
      const computed = before.finish();
      expect(await second).toBe(computed);
      expect(after.started).toHaveLength(0);
      await first;
    });

    it('gives callers that arrived before a change the answer computed across it (their own would not have seen the change either)', async () => {
      const { cache, ask } = flight();
      const computation = gate();
      const [first, second] = [ask(computation), ask(computation)];
      cache.invalidate(['part:1']);
      const computed = computation.finish();
      expect(await second).toBe(computed);
      expect(computation.started).toHaveLength(1);
      await first;
    });

    it('has the joiners of a refused answer compute it once more between them, not once each', async () => {
      const { spy, cache, ask } = flight();
      const [before, after] = [gate(), gate()];
      const first = ask(before);
      cache.invalidate(['part:1']);
      const [second, third] = [ask(after), ask(after)];
      before.finish();
      const computed = after.finish(50);
      expect(await second).toBe(computed);
      expect(await third).toBe(computed);
      expect(after.started).toHaveLength(1);
      expect(spy.joins).toBe(3);
      await first;
    });

    it('gives a failure to the callers waiting for it, never to a later caller', async () => {
      const { ask } = flight();
      const failing = gate();
      const [first, waiting] = [ask(failing), ask(failing)];
      failing.fail(new Error('database down'));
      const settled = await Promise.allSettled([first, waiting]);
      expect(settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).message : s.status))).toEqual(['database down', 'database down']);
      expect(failing.started).toHaveLength(1);
      const later = gate();
      const third = ask(later);
      const computed = later.finish();
      expect(await third).toBe(computed);
      expect(later.started).toHaveLength(1);
    });

    it('sends a joiner to compute its own when the computation had nothing to share', async () => {
      const { ask } = flight();
      const [unshared, own] = [gate(), gate()];
      const first = ask(unshared);
      const second = ask(own);
      unshared.release(undefined);
      const computed = own.finish();
      expect(await first).toBeUndefined();
      expect(await second).toBe(computed);
    });
  });
});
