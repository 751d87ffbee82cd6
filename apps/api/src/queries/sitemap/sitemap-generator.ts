import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@mpp/config';
import type { Knex } from '@mpp/db';
import { APP_CONFIG, KNEX } from '../../infrastructure/tokens.js';
import { sitemapFiles, type SitemapEntry } from './sitemap-xml.js';
import { BIKES, PARTS } from '@mpp/projections';

/** Pages that exist whatever the catalog holds; account and build pages are private or per rider. */
const STATIC_PATHS = ['/', '/search', '/pro'];

export interface StoredSitemapFile {
  name: string;
  xml: string;
  generatedAt: Date;
}

/**
 * Every public page of the catalog, from the read models: the static pages, one per bike
 * (`/bikes/{slug}`) and one per part (`/parts/{slug}`), the URLs the web app routes. Slugs never
 * change once assigned (catalog.projection.ts), so the URLs stay valid between runs.
 */
@Injectable()
export class SitemapGenerator {
  private readonly baseUrl: string;

  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.baseUrl = config.PUBLIC_BASE_URL.replace(/\/+$/, '');
  }

  async generate(now: Date): Promise<{ urls: number; files: number }> {
    const [bikes, parts] = await Promise.all([
      this.knex(BIKES).orderBy(['make', 'model', 'year', 'slug']).select<{ slug: string; registered_at: Date }[]>('slug', 'registered_at'),
      this.knex(PARTS).orderBy(['brand', 'slug']).select<{ slug: string; revised_at: Date }[]>('slug', 'revised_at'),
    ]);
    const entries: SitemapEntry[] = [
      ...STATIC_PATHS.map((path) => ({ loc: `${this.baseUrl}${path}` })),
      ...bikes.map((b) => ({ loc: `${this.baseUrl}/bikes/${encodeURIComponent(b.slug)}`, lastmod: new Date(b.registered_at) })),
      ...parts.map((p) => ({ loc: `${this.baseUrl}/parts/${encodeURIComponent(p.slug)}`, lastmod: new Date(p.revised_at) })),
    ];
    const files = sitemapFiles(entries, this.baseUrl, now);
    const generation = randomUUID();
    // Replaced whole in one transaction: a crawler reads the old set or the new one, never a mix.
    await this.knex.transaction(async (trx) => {
      await trx('sitemap_files').delete();
      await trx('sitemap_files').insert(files.map((f) => ({ name: f.name, xml: f.xml, url_count: f.urlCount, generation, generated_at: now })));
    });
    return { urls: entries.length, files: files.length };
  }

  async file(name: string): Promise<StoredSitemapFile | undefined> {
    const row = await this.knex('sitemap_files').where({ name }).first('name', 'xml', 'generated_at');
    return row ? { name: row.name, xml: row.xml, generatedAt: row.generated_at } : undefined;
  }
}
