import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, MaxLength } from 'class-validator';

export class ShareBuildDto {
  @ApiProperty({ format: 'email', description: 'who receives the link; not stored in clear, not kept after sending' })
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;
}
