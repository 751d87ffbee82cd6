import { Controller, Get, NotFoundException, Param, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { JobRegistry } from '../../operations/jobs/job-registry.js';
import { SitemapGenerator, type StoredSitemapFile } from './sitemap-generator.js';
import { SITEMAP_JOB } from './sitemap.job.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';

/**
 * The sitemap the daily job wrote. The web app serves it at its root by proxying `/sitemap.xml`
 * (and `/sitemap-{n}.xml`, once the site needs several files) to these routes.
 */
/** A sitemap is XML text (sitemaps.org protocol), not JSON. */
const SITEMAP_XML = { type: 'string', description: 'sitemaps.org XML' };

@ApiTags('public')
@Controller('api')
export class SitemapController {
  constructor(
    private readonly generator: SitemapGenerator,
    private readonly jobs: JobRegistry,
  ) {}

  @Get('sitemap.xml')
  @ApiProduces('application/xml')
  @ApiOperation({ summary: 'sitemap.xml: static pages, every bike and every part page (or an index of sitemap files)' })
  @ApiOkResponse({ schema: SITEMAP_XML, description: 'Last-Modified: when the daily job wrote it' })
  @ApiProblems([503, 'the first sitemap is being generated'])
  async sitemap(@Res() res: Response): Promise<void> {
    let file = await this.generator.file('sitemap.xml');
    if (!file) {
      // A fresh install before the first daily run: generate now, through the job's lock and record.
      await this.jobs.runNow(SITEMAP_JOB);
      file = await this.generator.file('sitemap.xml');
    }
    if (!file) throw new ServiceUnavailableException('The sitemap is being generated; try again shortly.');
    send(res, file);
  }

  @Get('sitemap-:n.xml')
  @ApiProduces('application/xml')
  @ApiOperation({ summary: 'One file of a sitemap split by the 50,000-URL limit' })
  @ApiOkResponse({ schema: SITEMAP_XML })
  @ApiProblems([404, 'no sitemap file of that number'])
  async part(@Param('n') n: string, @Res() res: Response): Promise<void> {
    const file = /^[1-9]\d{0,4}$/.test(n) ? await this.generator.file(`sitemap-${n}.xml`) : undefined;
    if (!file) throw new NotFoundException(`No sitemap file ${n}.`);
    send(res, file);
  }
}

function send(res: Response, file: StoredSitemapFile): void {
  res
    .status(200)
    .type('application/xml')
    .set({ 'Last-Modified': new Date(file.generatedAt).toUTCString(), 'Cache-Control': 'public, max-age=3600' })
    .send(file.xml);
}
