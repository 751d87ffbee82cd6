import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

export class SubmitVerificationDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() partId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() bikeId!: string;
  @ApiProperty({ description: 'true: it fits; false: it does not' }) @IsBoolean() fits!: boolean;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}

export class RetractVerificationDto {
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @Length(1, 2000) reason?: string;
}

export class ModerateVerificationDto {
  @ApiProperty({ enum: ['hide', 'restore'] }) @IsIn(['hide', 'restore']) action!: 'hide' | 'restore';
  @ApiProperty({ maxLength: 2000 }) @IsString() @Length(1, 2000) reason!: string;
}

export class VerificationCommandResponse {
  @ApiProperty({ format: 'uuid' }) verificationId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when the request changed nothing' }) eventId!: string | null;
  @ApiProperty({ description: 'global log position; send as X-Min-Position to read your write' }) position!: number;
}
