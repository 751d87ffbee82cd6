import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ROLES, type Role, type User } from './users.repository.js';
import type { meView } from './me.view.js';

@ApiSchema({ name: 'EmailPreferences' })
export class EmailPreferencesResponse {
  @ApiProperty({ description: 'receives the weekly digest (opt-in)' }) weeklyDigest!: boolean;
}

@ApiSchema({ name: 'Me', description: 'The signed-in user as the API shows it to that user; the email is not echoed back' })
export class MeResponse implements ReturnType<typeof meView> {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ enum: ['free', 'pro'] }) plan!: User['plan'];
  @ApiProperty({ type: EmailPreferencesResponse }) emailPreferences!: EmailPreferencesResponse;
  @ApiProperty({ description: 'send as X-CSRF-Token on every mutation' }) csrfToken!: string;
}

@ApiSchema({ name: 'SignInProviders', description: 'The sign-in methods this server offers' })
export class SignInProvidersResponse {
  @ApiProperty() google!: boolean;
  @ApiProperty() devLogin!: boolean;
}
