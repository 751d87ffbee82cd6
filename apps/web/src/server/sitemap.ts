/**
 * sitemap.xml from the API's public catalog. DESIGN §6 has no "list every part" route, so the
 * sitemap lists the static pages and every bike page; part pages are reached by crawlers through
 * the bike pages' links (see docs/web.md).
 */
interface BikePage {
  items: { slug: string }[];
  total: number;
  page: number;
  limit: number;
}

const PAGE_SIZE = 100;
/** A sitemap file holds at most 50,000 URLs; beyond that a sitemap index would be needed. */
const MAX_URLS = 50_000;
const CACHE_MS = 10 * 60 * 1000;

export class SitemapBuilder {
  private cached: { xml: string; builtAt: number } | null = null;
  private building: Promise<string> | null = null;

  constructor(
    private readonly apiUrl: string,
    private readonly publicBaseUrl: string,
  ) {}

  /** Cached for ten minutes: crawlers ask often and the catalog changes slowly. */
  xml(now = Date.now()): Promise<string> {
    if (this.cached && now - this.cached.builtAt < CACHE_MS) {
      return Promise.resolve(this.cached.xml);
    }
    this.building ??= this.build()
      .then((xml) => {
        this.cached = { xml, builtAt: Date.now() };
        return xml;
      })
      .finally(() => {
        this.building = null;
      });
    return this.building;
  }

  private async build(): Promise<string> {
    const paths = ['/', '/search'];
    for await (const slug of this.bikeSlugs()) {
      if (paths.length >= MAX_URLS) break;
      paths.push(`/bikes/${encodeURIComponent(slug)}`);
    }
    const urls = paths
      .map((path) => `  <url><loc>${escapeXml(this.publicBaseUrl + path)}</loc></url>`)
      .join('\n');
    return (
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
      urls +
      '\n</urlset>\n'
    );
  }

  private async *bikeSlugs(): AsyncGenerator<string> {
    for (let page = 1; ; page++) {
      const response = await fetch(`${this.apiUrl}/api/bikes?page=${page}&limit=${PAGE_SIZE}`, {
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) {
        throw new Error(`GET /api/bikes page ${page} answered ${response.status}`);
      }
      const body = (await response.json()) as BikePage;
      for (const bike of body.items) yield bike.slug;
      if (body.items.length === 0 || page * (body.limit || PAGE_SIZE) >= body.total) return;
    }
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}
