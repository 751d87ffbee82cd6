import { Body, ConflictException, Controller, Delete, ForbiddenException, Get, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFound, partStream } from '@mpp/domain';
import { Authenticated, CurrentUser } from '../../auth/authenticated.decorator.js';
import type { User } from '../../auth/users.repository.js';
import { StreamCommands } from '../../commands/shell/stream-commands.js';
import { UuidParam } from '../../http/uuid-param.js';
import { CreatePriceAlertDto, PriceAlertCreatedResponse } from './price-alert.dto.js';
import { PriceAlertsRepository } from './price-alerts.repository.js';
import { PersonalResponse } from '../../http/personal-response.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { PriceAlertsResponse } from './price-alert.responses.js';

/** Enough for any rider following their builds; a bound keeps the alert job's scan small. */
export const MAX_ALERTS_PER_RIDER = 100;

@ApiTags('alerts')
@Controller('api/alerts')
@PersonalResponse()
export class PriceAlertsController {
  constructor(
    private readonly alerts: PriceAlertsRepository,
    private readonly streams: StreamCommands,
  ) {}

  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Price-drop alert on a part (Pro plan): a mail when an in-stock offer reaches the target' })
  @ApiCreatedResponse({ type: PriceAlertCreatedResponse })
  @ApiProblems([404, 'no such part'], [409, 'the rider has the maximum number of alerts'])
  async create(@Body() body: CreatePriceAlertDto, @CurrentUser() user: User): Promise<PriceAlertCreatedResponse> {
    if (user.plan !== 'pro') throw new ForbiddenException('Price alerts are part of the Pro plan.');
    // The event store, not the catalog read model: a part imported a moment ago is already there.
    if (!(await this.streams.exists(partStream(body.partId)))) throw new NotFound('part', body.partId);
    if (!(await this.alerts.hasAlert(user.id, body.partId)) && (await this.alerts.countFor(user.id)) >= MAX_ALERTS_PER_RIDER) {
      throw new ConflictException(`You have ${MAX_ALERTS_PER_RIDER} price alerts; delete one first.`);
    }
    return { id: await this.alerts.upsert(user.id, body) };
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: "The signed-in rider's price alerts" })
  @ApiOkResponse({ type: PriceAlertsResponse })
  async mine(@CurrentUser() user: User): Promise<PriceAlertsResponse> {
    return { items: await this.alerts.listFor(user.id) };
  }

  @Delete(':id')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes one of your price alerts' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiProblems([404, 'no such price alert'])
  async remove(@UuidParam('id') id: string, @CurrentUser() user: User): Promise<void> {
    const owner = await this.alerts.ownerOf(id);
    if (!owner) throw new NotFoundException(`No price alert with id ${id}.`);
    if (owner !== user.id) throw new ForbiddenException('This price alert is not yours.');
    await this.alerts.delete(id);
  }
}
