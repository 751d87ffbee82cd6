import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '@mpp/config';
import { APP_CONFIG } from '../infrastructure/tokens.js';

/** Which sign-in methods this server offers, so the web shows only the ones that work. */
@ApiTags('auth')
@Controller('auth')
export class ProvidersController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('providers')
  @ApiOperation({ summary: 'Sign-in methods available here' })
  providers(): { google: boolean; devLogin: boolean } {
    return { google: Boolean(this.config.GOOGLE_CLIENT_ID && this.config.GOOGLE_CLIENT_SECRET), devLogin: this.config.devLoginEnabled };
  }
}
