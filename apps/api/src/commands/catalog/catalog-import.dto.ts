import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { PART_ATTRIBUTES_PROPERTY } from '../../queries/read-models/read-model.responses.js';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PART_CATEGORIES } from '@mpp/domain';

const FIRST_YEAR = 1885;
const LAST_YEAR = 2100;

export class ImportBikeDto {
  @ApiProperty() @IsString() @Length(1, 60) make!: string;
  @ApiProperty() @IsString() @Length(1, 80) model!: string;
  @ApiPropertyOptional({ type: [Number], description: '[from, to], inclusive; expands to one bike per year' })
  @ValidateIf((b: ImportBikeDto) => b.year === undefined)
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(2)
  @IsInt({ each: true })
  @Min(FIRST_YEAR, { each: true })
  @Max(LAST_YEAR, { each: true })
  years?: [number, number];
  @ApiPropertyOptional() @ValidateIf((b: ImportBikeDto) => b.years === undefined) @IsInt() @Min(FIRST_YEAR) @Max(LAST_YEAR) year?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 80) trim?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(5000) engineCc?: number;
}

export class ImportPartDto {
  @ApiProperty() @IsString() @Length(1, 64) sku!: string;
  @ApiProperty() @IsString() @Length(1, 80) brand!: string;
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ enum: PART_CATEGORIES }) @IsIn(PART_CATEGORIES as string[], { message: 'category must be one of the part category keys' }) category!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) description?: string;
  @ApiPropertyOptional(PART_ATTRIBUTES_PROPERTY) @IsOptional() @IsObject() attributes?: Record<string, string | number | boolean>;
}

export class ImportRetailerDto {
  @ApiProperty() @IsString() @Length(1, 120) name!: string;
  @ApiProperty() @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }) @MaxLength(2048) baseUrl!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 120) affiliateProgram?: string;
}

export class ImportFitmentDto {
  @ApiProperty() @IsString() @Length(1, 64) sku!: string;
  @ApiProperty() @IsString() @Length(1, 60) make!: string;
  @ApiProperty() @IsString() @Length(1, 80) model!: string;
  @ApiProperty({ type: [Number] })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(2)
  @IsInt({ each: true })
  @Min(FIRST_YEAR, { each: true })
  @Max(LAST_YEAR, { each: true })
  years!: [number, number];
  @ApiProperty({ enum: ['manufacturer', 'retailer', 'staff'] }) @IsIn(['manufacturer', 'retailer', 'staff']) source!: 'manufacturer' | 'retailer' | 'staff';
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2000) notes?: string;
}

export class CatalogImportDto {
  @ApiPropertyOptional({ type: [ImportBikeDto] }) @IsOptional() @IsArray() @ArrayMaxSize(10000) @ValidateNested({ each: true }) @Type(() => ImportBikeDto)
  bikes?: ImportBikeDto[];
  @ApiPropertyOptional({ type: [ImportPartDto] }) @IsOptional() @IsArray() @ArrayMaxSize(20000) @ValidateNested({ each: true }) @Type(() => ImportPartDto)
  parts?: ImportPartDto[];
  @ApiPropertyOptional({ type: [ImportRetailerDto] }) @IsOptional() @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => ImportRetailerDto)
  retailers?: ImportRetailerDto[];
  @ApiPropertyOptional({ type: [ImportFitmentDto] }) @IsOptional() @IsArray() @ArrayMaxSize(50000) @ValidateNested({ each: true }) @Type(() => ImportFitmentDto)
  fitment?: ImportFitmentDto[];
}

export class CatalogImportResponse {
  @ApiProperty({ description: 'bikes that were new' }) bikes!: number;
  @ApiProperty() parts!: number;
  @ApiProperty() retailers!: number;
  @ApiProperty({ description: 'official fitment records that were new' }) fitment!: number;
  @ApiProperty() position!: number;
}
