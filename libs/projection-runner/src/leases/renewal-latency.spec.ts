import { describe, expect, it } from '@jest/globals';
import { RenewalLatency } from './renewal-latency.js';

describe('RenewalLatency', () => {
  const bounds = { baseTtlMs: 3_000, maxTtlMs: 12_000, factor: 3, window: 100 };

  it('keeps the base TTL while renewals are quick, and before any was measured', () => {
    const latency = new RenewalLatency(bounds);
    expect(latency.ttlMs()).toBe(3_000);
    for (let i = 0; i < 50; i++) latency.record(20);
    expect(latency.ttlMs()).toBe(3_000);
  });

  it('lengthens the TTL to three times the 99th percentile round trip', () => {
    const latency = new RenewalLatency(bounds);
    for (let i = 0; i < 99; i++) latency.record(100);
    latency.record(2_000);
    // One slow round trip in 100 is the 99th percentile's neighbour, not the percentile itself.
    expect(latency.p99()).toBe(100);
    latency.record(2_500);
    latency.record(1_500);
    expect(latency.p99()).toBe(2_000);
    expect(latency.ttlMs()).toBe(6_000);
  });

  it('counts the slowest round trip while there are fewer than 100', () => {
    const latency = new RenewalLatency(bounds);
    [50, 1_200, 80].forEach((ms) => latency.record(ms));
    expect(latency.ttlMs()).toBe(3_600);
  });

  it('never goes beyond the longest TTL, so a dead holder’s work still moves within a bound', () => {
    const latency = new RenewalLatency(bounds);
    latency.record(60_000);
    expect(latency.ttlMs()).toBe(12_000);
  });

  it('comes back down once the slow round trips left the window', () => {
    const latency = new RenewalLatency({ ...bounds, window: 10 });
    latency.record(2_000);
    expect(latency.ttlMs()).toBe(6_000);
    for (let i = 0; i < 10; i++) latency.record(10);
    expect(latency.ttlMs()).toBe(3_000);
  });

  it('refuses a longest TTL below the base', () => {
    expect(() => new RenewalLatency({ baseTtlMs: 3_000, maxTtlMs: 1_000 })).toThrow();
  });
});
