import { describe, expect, it } from '@jest/globals';
import { sitemapFiles, urlsetXml } from './sitemap-xml.js';

describe('sitemap files', () => {
  it('escapes every URL and writes lastmod when known', () => {
    const xml = urlsetXml([{ loc: 'https://mpp.test/parts/r-g-aero?x=1&y=<2>' }, { loc: 'https://mpp.test/bikes/2021-yamaha-mt-07', lastmod: new Date('2026-03-01T10:00:00Z') }]);
    expect(xml).toContain('<loc>https://mpp.test/parts/r-g-aero?x=1&amp;y=&lt;2&gt;</loc>');
    expect(xml).toContain('<url><loc>https://mpp.test/bikes/2021-yamaha-mt-07</loc><lastmod>2026-03-01T10:00:00.000Z</lastmod></url>');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')).toBe(true);
  });

  it('keeps one file up to the limit and splits beyond it behind an index at sitemap.xml', () => {
    const entries = ['a', 'b', 'c', 'd', 'e'].map((p) => ({ loc: `https://mpp.test/${p}` }));
    expect(sitemapFiles(entries.slice(0, 2), 'https://mpp.test', new Date(), 2).map((f) => f.name)).toEqual(['sitemap.xml']);
    const split = sitemapFiles(entries, 'https://mpp.test', new Date('2026-03-01T00:00:00Z'), 2);
    expect(split.map((f) => [f.name, f.urlCount])).toEqual([
      ['sitemap.xml', 5],
      ['sitemap-1.xml', 2],
      ['sitemap-2.xml', 2],
      ['sitemap-3.xml', 1],
    ]);
    expect(split[0]!.xml).toContain('<sitemapindex');
    expect(split[0]!.xml).toContain('<sitemap><loc>https://mpp.test/sitemap-3.xml</loc><lastmod>2026-03-01T00:00:00.000Z</lastmod></sitemap>');
    expect(split[3]!.xml).toContain('<loc>https://mpp.test/e</loc>');
  });
});
