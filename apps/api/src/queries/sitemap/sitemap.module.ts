import { Module } from '@nestjs/common';
import { SitemapController } from './sitemap.controller.js';
import { SitemapGenerator } from './sitemap-generator.js';
import { SitemapJob } from './sitemap.job.js';

/** The daily sitemap (DESIGN §7) and the routes that serve it. */
@Module({
  controllers: [SitemapController],
  providers: [SitemapGenerator, SitemapJob],
})
export class SitemapModule {}
