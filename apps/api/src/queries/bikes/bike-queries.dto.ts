import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { PART_CATEGORIES } from '@mpp/domain';
import { PageQueryDto } from '../read-models/page-query.dto.js';
import { COMPATIBILITY_STATUSES } from '../read-models/read-model-views.js';
import { IsRegion } from '../../commands/prices/region-query.dto.js';

export class BikeListQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1885) @Max(2100) year?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) make?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 80) model?: string;
  @ApiPropertyOptional({ description: 'free text over make, model and trim' }) @IsOptional() @IsString() @Length(1, 100) q?: string;
}

export class BikeOptionsQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1885) @Max(2100) year?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) make?: string;
}

export const BIKE_PART_SORTS = ['relevance', 'price_asc', 'price_desc', 'confirmations', 'name'] as const;
export type BikePartSort = (typeof BIKE_PART_SORTS)[number];

export class BikePartsQueryDto extends PageQueryDto {
  @IsRegion() region?: string;
  @ApiPropertyOptional({ enum: PART_CATEGORIES }) @IsOptional() @IsIn(PART_CATEGORIES as string[]) category?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 80) brand?: string;
  @ApiPropertyOptional({ enum: COMPATIBILITY_STATUSES }) @IsOptional() @IsIn(COMPATIBILITY_STATUSES as string[]) status?: string;
  @ApiPropertyOptional({ description: 'cents' }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) minPrice?: number;
  @ApiPropertyOptional({ description: 'cents' }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) maxPrice?: number;
  @ApiPropertyOptional({ enum: BIKE_PART_SORTS, default: 'relevance' }) @IsOptional() @IsIn(BIKE_PART_SORTS) sort?: BikePartSort;
}
