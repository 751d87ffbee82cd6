import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';

export const VISIBILITIES = ['private', 'unlisted', 'public'] as const;

export class BuildPartDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() partId!: string;
  @ApiProperty({ minimum: 1, maximum: 99 }) @IsInt() @Min(1) @Max(99) quantity!: number;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @Length(1, 500) note?: string;
}

export class CreateBuildDto {
  @ApiProperty({ maxLength: 120 }) @IsString() @Length(1, 120) name!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() bikeId!: string;
  @ApiPropertyOptional({ type: [BuildPartDto] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => BuildPartDto)
  parts?: BuildPartDto[];
  @ApiPropertyOptional({ enum: VISIBILITIES }) @IsOptional() @IsIn(VISIBILITIES) visibility?: (typeof VISIBILITIES)[number];
}

/** Fields left out stay as they are; `parts`, when given, replaces the whole list. */
export class UpdateBuildDto {
  @ApiPropertyOptional({ maxLength: 120 }) @IsOptional() @IsString() @Length(1, 120) name?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() bikeId?: string;
  @ApiPropertyOptional({ type: [BuildPartDto] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => BuildPartDto)
  parts?: BuildPartDto[];
  @ApiPropertyOptional({ enum: VISIBILITIES }) @IsOptional() @IsIn(VISIBILITIES) visibility?: (typeof VISIBILITIES)[number];
}

export class BuildCommandResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'send as If-Match on the next edit' }) revision!: number;
  @ApiProperty() position!: number;
}
