import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentUser } from '../../auth/authenticated.decorator.js';
import type { AuthenticatedRequest } from '../../auth/request-auth.js';
import type { User } from '../../auth/users.repository.js';
import { commandContextFrom } from '../shell/command-context.js';
import { withPosition } from '../../http/command-response.js';
import { Idempotent } from '../../http/idempotency.interceptor.js';
import { CatalogImportDto, CatalogImportResponse } from './catalog-import.dto.js';
import { ImportCatalogCommand, type CatalogImportResult } from './import-catalog.command.js';

@ApiTags('admin')
@Controller('api/admin/catalog')
export class CatalogController {
  constructor(private readonly commands: CommandBus) {}

  @Post('import')
  @Authenticated('admin')
  @Idempotent()
  @ApiOperation({ summary: 'Import bikes (year ranges expand), parts, retailers and official fitment; re-importing appends nothing' })
  @ApiCreatedResponse({ type: CatalogImportResponse })
  async import(
    @Body() body: CatalogImportDto,
    @CurrentUser() user: User,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CatalogImportResult> {
    const result = await this.commands.execute<ImportCatalogCommand, CatalogImportResult>(new ImportCatalogCommand(body, commandContextFrom(req, user.id)));
    return withPosition(res, result);
  }
}
