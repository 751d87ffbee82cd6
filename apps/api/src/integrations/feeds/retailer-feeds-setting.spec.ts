import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@mpp/config';
import { retailerIdFor } from '@mpp/domain';
import { parseRetailerFeedsSetting } from './retailer-feeds-setting.js';

describe('RETAILER_FEEDS', () => {
  it('reads one feed per retailer, by name or id', () => {
    const louis = retailerIdFor('Louis');
    const raw = JSON.stringify([
      { retailer: 'RevZilla', format: 'csv', url: 'https://feeds.revzilla.example/offers.csv' },
      { retailer: louis, format: 'fixture' },
    ]);
    expect(parseRetailerFeedsSetting(raw, 'production')).toEqual([
      { retailerId: retailerIdFor('RevZilla'), label: 'RevZilla', format: 'csv', url: 'https://feeds.revzilla.example/offers.csv' },
      { retailerId: louis, label: louis, format: 'fixture' },
    ]);
  });

  it('defaults to the demo fixture feeds in development and to none elsewhere', () => {
    expect(parseRetailerFeedsSetting(undefined, 'development').map((s) => s.label)).toEqual(expect.arrayContaining(['RevZilla', 'Louis']));
    expect(parseRetailerFeedsSetting(undefined, 'development').every((s) => s.format === 'fixture')).toBe(true);
    expect(parseRetailerFeedsSetting(undefined, 'production')).toEqual([]);
    expect(parseRetailerFeedsSetting('', 'test')).toEqual([]);
    expect(parseRetailerFeedsSetting('[]', 'development')).toEqual([]);
  });

  it('refuses a bad value, naming each offending entry and field', () => {
    const problems = (raw: string) => {
      try {
        parseRetailerFeedsSetting(raw, 'production');
      } catch (error) {
        if (error instanceof ConfigError) return error.problems.map((p) => p.variable);
        throw error;
      }
      throw new Error('accepted');
    };
    expect(problems('{"retailer": "Louis"}')).toEqual(['RETAILER_FEEDS']);
    expect(problems('not json')).toEqual(['RETAILER_FEEDS']);
    expect(problems(JSON.stringify([{ retailer: 'Louis', format: 'xml' }, { retailer: 'FC-Moto', format: 'json', url: 'ftp://fc-moto.example/feed' }]))).toEqual([
      'RETAILER_FEEDS[0].format',
      'RETAILER_FEEDS[0].url',
      'RETAILER_FEEDS[1].url',
    ]);
    expect(problems(JSON.stringify([{ retailer: 'Louis', format: 'fixture' }, { retailer: 'Louis', format: 'csv', url: 'https://louis.example/f.csv' }]))).toEqual([
      'RETAILER_FEEDS[1].retailer',
    ]);
  });
});
