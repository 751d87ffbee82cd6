export interface SitemapEntry {
  /** Absolute URL of the page. */
  loc: string;
  lastmod?: Date;
}

/** The protocol's limit per file (sitemaps.org); beyond it the sitemap becomes an index of files. */
export const MAX_URLS_PER_FILE = 50_000;

export function urlsetXml(entries: readonly SitemapEntry[]): string {
  const urls = entries.map((e) => `  <url><loc>${escapeXml(e.loc)}</loc>${e.lastmod ? `<lastmod>${e.lastmod.toISOString()}</lastmod>` : ''}</url>`);
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...urls, '</urlset>', ''].join('\n');
}

export function sitemapIndexXml(files: readonly SitemapEntry[]): string {
  const items = files.map((f) => `  <sitemap><loc>${escapeXml(f.loc)}</loc>${f.lastmod ? `<lastmod>${f.lastmod.toISOString()}</lastmod>` : ''}</sitemap>`);
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...items, '</sitemapindex>', ''].join('\n');
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

export interface SitemapFile {
  name: string;
  xml: string;
  urlCount: number;
}

/**
 * `sitemap.xml` alone while the site fits in one file; past MAX_URLS_PER_FILE, `sitemap.xml` is an
 * index of `sitemap-1.xml`, `sitemap-2.xml`... served beside it at the site's root.
 */
export function sitemapFiles(entries: readonly SitemapEntry[], publicBaseUrl: string, generatedAt: Date, perFile = MAX_URLS_PER_FILE): SitemapFile[] {
  if (entries.length <= perFile) return [{ name: 'sitemap.xml', xml: urlsetXml(entries), urlCount: entries.length }];
  const files: SitemapFile[] = [];
  for (let i = 0; i < entries.length; i += perFile) {
    const chunk = entries.slice(i, i + perFile);
    files.push({ name: `sitemap-${files.length + 1}.xml`, xml: urlsetXml(chunk), urlCount: chunk.length });
  }
  const index = sitemapIndexXml(files.map((f) => ({ loc: `${publicBaseUrl}/${f.name}`, lastmod: generatedAt })));
  return [{ name: 'sitemap.xml', xml: index, urlCount: entries.length }, ...files];
}
