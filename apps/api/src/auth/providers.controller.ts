import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '@mpp/config';
import { APP_CONFIG } from '../infrastructure/tokens.js';
import { SignInProvidersResponse } from './auth.responses.js';

/** Which sign-in methods this server offers, so the web shows only the ones that work. */
@ApiTags('auth')
@Controller('auth')
export class ProvidersController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('providers')
  @ApiOperation({ summary: 'Sign-in methods available here' })
  @ApiOkResponse({ type: SignInProvidersResponse })
  providers(): SignInProvidersResponse {
    return { google: Boolean(this.config.GOOGLE_CLIENT_ID && this.config.GOOGLE_CLIENT_SECRET), devLogin: this.config.devLoginEnabled };
  }
}
