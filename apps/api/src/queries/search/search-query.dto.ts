import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, MaxLength, Min } from 'class-validator';
import { PART_CATEGORIES } from '@mpp/domain';
import { SEARCH_LIMITS, SEARCH_SORTS, type SearchSort } from '@mpp/search';
import { PageQueryDto } from '../read-models/page-query.dto.js';
import { COMPATIBILITY_STATUSES } from '../read-models/read-model-views.js';
import { IsRegion } from '../../commands/prices/region-query.dto.js';

export class SearchQueryDto extends PageQueryDto {
  @IsRegion() region?: string;
  @ApiPropertyOptional({ description: 'free text, typo-tolerant; empty browses everything', maxLength: SEARCH_LIMITS.queryLength })
  @IsOptional()
  @IsString()
  @MaxLength(SEARCH_LIMITS.queryLength)
  q?: string;

  @ApiPropertyOptional({ description: 'only parts known for this bike; hits then carry the pair status' })
  @IsOptional()
  @IsUUID()
  bikeId?: string;

  @ApiPropertyOptional({ enum: PART_CATEGORIES }) @IsOptional() @IsIn(PART_CATEGORIES as string[]) category?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 80) brand?: string;
  @ApiPropertyOptional({ enum: COMPATIBILITY_STATUSES }) @IsOptional() @IsIn(COMPATIBILITY_STATUSES as string[]) status?: string;
  @ApiPropertyOptional({ description: 'with bikeId: only the parts that fit it (verified or community)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value))
  @IsBoolean()
  fits?: boolean;
  @ApiPropertyOptional({ description: 'cents' }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) minPrice?: number;
  @ApiPropertyOptional({ description: 'cents' }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) maxPrice?: number;
  @ApiPropertyOptional({ enum: SEARCH_SORTS, default: 'relevance' }) @IsOptional() @IsIn(SEARCH_SORTS) sort?: SearchSort;
}
