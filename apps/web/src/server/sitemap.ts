/**
 * sitemap.xml from the API's public catalog: the static pages, every bike page (GET /api/bikes)
 * and every part page (GET /api/parts), each read page by page.
 */
interface SlugPage {
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
    for (const [route, listing] of [
      ['/bikes/', '/api/bikes'],
      ['/parts/', '/api/parts'],
    ] as const) {
      for await (const slug of this.slugs(listing)) {
        if (paths.length >= MAX_URLS) break;
        paths.push(route + encodeURIComponent(slug));
      }
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

  private async *slugs(listing: '/api/bikes' | '/api/parts'): AsyncGenerator<string> {
    for (let page = 1; ; page++) {
      const response = await fetch(`${this.apiUrl}${listing}?page=${page}&limit=${PAGE_SIZE}`, {
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) {
        throw new Error(`GET ${listing} page ${page} answered ${response.status}`);
      }
      const body = (await response.json()) as SlugPage;
      for (const bike of body.items) yield bike.slug;
      if (body.items.length === 0 || page * (body.limit || PAGE_SIZE) >= body.total) return;
    }
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}
