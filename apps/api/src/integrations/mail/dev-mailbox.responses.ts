import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { MAIL_KINDS, type MailKind } from './mail-kinds.js';

@ApiSchema({ name: 'DevMail' })
export class DevMailResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: MAIL_KINDS }) kind!: MailKind;
  @ApiProperty({ description: 'outbox status, e.g. pending, sent or failed' }) status!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the recipient address (development only)' }) to!: string | null;
  @ApiProperty() subject!: string;
  @ApiProperty() text!: string;
  @ApiProperty() html!: string;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: Date | null;
}

@ApiSchema({ name: 'DevMailbox' })
export class DevMailboxResponse {
  @ApiProperty({ type: [DevMailResponse], description: 'newest first' }) items!: DevMailResponse[];
}
