import { describe, expect, it } from '@jest/globals';
import { ALL_PROJECTIONS, QUERY_PROJECTIONS, type ProjectionName } from './index.js';

describe('projection registry', () => {
  it('names every projection once, as ProjectionName lists them', () => {
    const names: ProjectionName[] = ['catalog', 'compatibility', 'verification-log', 'prices', 'builds', 'verifications-per-make-month', 'search-documents', 'bike-listings'];
    expect(ALL_PROJECTIONS.map((projection) => projection.name).sort()).toEqual([...names].sort());
  });

  it('serves no public table name from two projections', () => {
    const tables = ALL_PROJECTIONS.flatMap((projection) => projection.tables);
    expect(new Set(tables).size).toBe(tables.length);
  });

  it('makes every query family wait only for projections the projector runs', () => {
    const running = new Set(ALL_PROJECTIONS.map((projection) => projection.name));
    for (const [family, names] of Object.entries(QUERY_PROJECTIONS)) {
      expect({ family, missing: names.filter((name) => !running.has(name)) }).toEqual({ family, missing: [] });
    }
  });
});
