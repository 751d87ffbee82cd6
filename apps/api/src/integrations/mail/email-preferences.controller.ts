import { Body, Controller, Inject, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import type { Knex } from '@mpp/db';
import { Authenticated, CurrentUser } from '../../auth/authenticated.decorator.js';
import type { User } from '../../auth/users.repository.js';
import { KNEX } from '../../infrastructure/tokens.js';
import { PersonalResponse } from '../../http/personal-response.js';
import { EmailPreferencesResponse } from '../../auth/auth.responses.js';

export class EmailPreferencesDto {
  @ApiProperty({ description: 'Receive the weekly digest (opt-in)' })
  @IsBoolean()
  weeklyDigest!: boolean;
}

@ApiTags('account')
@Controller('api/me/preferences')
@PersonalResponse()
export class EmailPreferencesController {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  @Put()
  @Authenticated()
  @ApiOperation({ summary: 'Email preferences of the signed-in user' })
  @ApiOkResponse({ type: EmailPreferencesResponse, description: 'the preferences as stored' })
  async update(@CurrentUser() user: User, @Body() body: EmailPreferencesDto): Promise<EmailPreferencesResponse> {
    // Merged into the stored object so preferences added later are not wiped by this form.
    const [row] = await this.knex('users')
      .where({ id: user.id })
      .update({ email_preferences: this.knex.raw(`email_preferences || jsonb_build_object('weeklyDigest', ?::boolean)`, [body.weeklyDigest]) })
      .returning('email_preferences');
    return { weeklyDigest: Boolean((row.email_preferences as { weeklyDigest?: boolean }).weeklyDigest) };
  }
}
