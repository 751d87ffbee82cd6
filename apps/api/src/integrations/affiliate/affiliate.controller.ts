import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { Request } from 'express';
import { AffiliateClicks } from './affiliate-clicks.js';

export class AffiliateClickDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() partId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() retailerId!: string;
}

@ApiTags('affiliate')
@Controller('api/affiliate')
export class AffiliateController {
  constructor(private readonly clicks: AffiliateClicks) {}

  @Post('click')
  @HttpCode(204)
  @ApiOperation({ summary: 'Records a click on a purchase link for attribution (no IP or user agent stored)' })
  @ApiNoContentResponse({ description: 'recorded' })
  async click(@Body() body: AffiliateClickDto, @Req() req: Request): Promise<void> {
    await this.clicks.record(body.partId, body.retailerId, 'api', { ip: req.ip });
  }
}
