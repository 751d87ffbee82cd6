import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PART_CATEGORIES } from '@mpp/domain';
import { ClockQueryDto } from '../../http/clock-query.dto.js';
import { PageQueryDto } from '../read-models/page-query.dto.js';
import { IsRegion } from '../../commands/prices/region-query.dto.js';

export class PartListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PART_CATEGORIES }) @IsOptional() @IsIn(PART_CATEGORIES as string[]) category?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 80) brand?: string;
}

export class PartVerificationsQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() bikeId?: string;
}

export class PartCompatibilityQueryDto extends ClockQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsUUID() bikeId!: string;
}

export class PartDetailQueryDto {
  @IsRegion() region?: string;
}
