import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PART_CATEGORIES } from '@mpp/domain';
import { PageQueryDto } from '../read-models/page-query.dto.js';

export class PartListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PART_CATEGORIES }) @IsOptional() @IsIn(PART_CATEGORIES as string[]) category?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 80) brand?: string;
}

export class PartVerificationsQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() bikeId?: string;
}

export class PartCompatibilityQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsUUID() bikeId!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'the status as it stood at this instant (time travel)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}
