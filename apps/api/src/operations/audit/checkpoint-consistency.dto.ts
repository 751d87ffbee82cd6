import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBase64, IsISO8601, IsInt, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';

export class CheckpointDto {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'Merkle root (RFC 6962), lower-case hex' }) @IsString() @Matches(/^[0-9a-f]{64}$/, { message: 'root must be 64 lower-case hex digits' }) root!: string;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) streams!: number;
  @ApiProperty({ pattern: '^(0|[1-9][0-9]*)$', description: 'log position, a decimal string' }) @IsString() @Matches(/^(0|[1-9]\d*)$/, { message: 'position must be a decimal string' }) position!: string;
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) createdAt!: string;
}

export class StreamHeadDto {
  @ApiProperty({ example: 'fitment-<partId>_<bikeId>' }) @IsString() @Matches(/^fitment-/, { message: 'streamId must be a fitment stream' }) streamId!: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) @IsString() @Matches(/^[0-9a-f]{64}$/, { message: 'hash must be 64 lower-case hex digits' }) hash!: string;
}

/** A published checkpoint as the API answers it, or a witness file (which also lists the heads). */
export class CheckpointConsistencyDto {
  @ApiProperty({ type: CheckpointDto }) @ValidateNested() @Type(() => CheckpointDto) checkpoint!: CheckpointDto;
  @ApiProperty({ description: 'base64 Ed25519 signature of the checkpoint' }) @IsString() @IsBase64() signature!: string;
  @ApiPropertyOptional({ type: [StreamHeadDto], description: 'the heads of a witness file: with them a rewritten chain is named' })
  @IsOptional() @IsArray() @ArrayMaxSize(10_000) @ValidateNested({ each: true }) @Type(() => StreamHeadDto)
  heads?: StreamHeadDto[];
  // Carried by the API's answer and by witness files; accepted so either can be sent as is, and not used:
  // the signature is checked against this server's key.
  @ApiPropertyOptional() @IsOptional() @IsString() keyId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() publicKey?: string;
}
