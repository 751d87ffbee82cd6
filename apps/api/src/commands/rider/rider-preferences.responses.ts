import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { REGION_CODES } from '@mpp/domain';
import { BikeResponse } from '../../queries/read-models/read-model.responses.js';
import type { RiderPreferencesView } from './rider-preferences.query.js';

export class RiderPreferencesDto {
  @ApiPropertyOptional({ enum: REGION_CODES, description: 'ISO 3166-1 alpha-2 country whose currency prices are compared in' })
  @IsOptional()
  @IsIn(REGION_CODES as string[], { message: `region must be an ISO 3166-1 alpha-2 country code we serve: ${REGION_CODES.join(', ')}` })
  region?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: "the garage's current bike; null empties the garage" })
  @ValidateIf((_dto, value) => value !== null && value !== undefined)
  @IsUUID()
  garageBikeId?: string | null;
}

@ApiSchema({ name: 'RiderPreferences', description: "The account's region and garage bike" })
export class RiderPreferencesResponse implements RiderPreferencesView {
  @ApiProperty({ type: String, nullable: true, enum: REGION_CODES, description: 'null: never chosen on the account' }) region!: string | null;
  @ApiProperty({ type: BikeResponse, nullable: true }) garageBike!: BikeResponse | null;
}

@ApiSchema({ name: 'RiderPreferencesChangeResult' })
export class RiderPreferencesChangeResponse extends RiderPreferencesResponse {
  @ApiProperty({ description: 'log position of the change (or of the last one, when nothing changed)' }) position!: number;
}
