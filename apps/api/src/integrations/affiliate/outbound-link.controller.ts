import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Knex } from '@mpp/db';
import { UuidParam } from '../../http/uuid-param.js';
import { KNEX } from '../../infrastructure/tokens.js';
import { AffiliateClicks } from './affiliate-clicks.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { readRetailerOffer } from '@mpp/projections';

/**
 * Outbound purchase links. The target is always the offer URL we recorded for that part at that
 * retailer, and only when it lies on the retailer's own host: nothing in the request chooses
 * where the rider goes, so this can never be an open redirect.
 */
@ApiTags('affiliate')
@Controller('go')
export class OutboundLinkController {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    private readonly clicks: AffiliateClicks,
  ) {}

  @Get(':partId/:retailerId')
  @ApiOperation({ summary: 'Records the click and redirects (302) to the retailer page of the part' })
  @ApiFoundResponse({ description: 'Location: the retailer URL of the offer' })
  @ApiProblems([404, 'no offer for this part at this retailer'])
  async go(@UuidParam('partId') partId: string, @UuidParam('retailerId') retailerId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const offer = await readRetailerOffer(this.knex, { partId, retailerId });
    const target = offer && onRetailerHost(offer.url, offer.base_url);
    if (!target) throw new NotFoundException('No offer for this part at this retailer.');
    await this.clicks.record(partId, retailerId, 'redirect', { ip: req.ip });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer-when-downgrade');
    res.redirect(302, target);
  }
}

function onRetailerHost(url: string, baseUrl: string): string | undefined {
  const target = URL.parse(url);
  const base = URL.parse(baseUrl);
  if (!target || !base || !/^https?:$/.test(target.protocol)) return undefined;
  const host = target.hostname.toLowerCase();
  const retailerHost = base.hostname.toLowerCase().replace(/^www\./, '');
  return host === retailerHost || host.endsWith(`.${retailerHost}`) ? target.toString() : undefined;
}
