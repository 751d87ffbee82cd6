import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ROLES, type Role, type User } from './users.repository.js';
import type { meView } from './me.view.js';
import { REGION_CODES } from '@mpp/domain';
import { BikeResponse } from '../queries/read-models/read-model.responses.js';

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
  @ApiProperty({ type: String, nullable: true, enum: REGION_CODES, description: 'the region chosen on the account (PUT /api/me/rider-preferences); null: never chosen' })
  region!: string | null;
  @ApiProperty({ type: BikeResponse, nullable: true, description: "the garage's current bike on the account" }) garageBike!: BikeResponse | null;
  @ApiProperty({ description: 'send as X-CSRF-Token on every mutation' }) csrfToken!: string;
}

@ApiSchema({ name: 'SignInProviders', description: 'The sign-in methods this server offers' })
export class SignInProvidersResponse {
  @ApiProperty() google!: boolean;
  @ApiProperty() devLogin!: boolean;
}
