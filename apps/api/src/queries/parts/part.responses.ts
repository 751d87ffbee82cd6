import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { CompatibilityStatus } from '@mpp/domain';
import {
  BikeResponse,
  COMPATIBILITY_STATUS_PROPERTY,
  PageResponse,
  PART_ATTRIBUTES_PROPERTY,
  PartSummaryResponse,
  RetailerPriceResponse,
} from '../read-models/read-model.responses.js';

@ApiSchema({ name: 'PartPage' })
export class PartPageResponse extends PageResponse {
  @ApiProperty({ type: [PartSummaryResponse] }) items!: PartSummaryResponse[];
}

@ApiSchema({ name: 'PartFitment' })
export class PartFitmentResponse {
  @ApiProperty({ type: BikeResponse }) bike!: BikeResponse;
  @ApiProperty(COMPATIBILITY_STATUS_PROPERTY) status!: CompatibilityStatus;
  @ApiProperty({ type: 'integer' }) confirmations!: number;
  @ApiProperty({ type: 'integer' }) refutations!: number;
}

@ApiSchema({ name: 'PartDetail', description: 'A part with its current prices (cheapest in stock first) and the bikes it is known to fit' })
export class PartDetailResponse extends PartSummaryResponse {
  @ApiProperty({ ...PART_ATTRIBUTES_PROPERTY, nullable: true }) attributes!: Record<string, string | number | boolean> | null;
  @ApiPropertyOptional({ description: 'the region the answer was priced for (a `region` query parameter, else US)', example: 'GB' }) region?: string;
  @ApiPropertyOptional({ description: "ISO 4217: the region's currency, in which every best price of the answer is", example: 'GBP' }) currency?: string;
  @ApiPropertyOptional({ type: RetailerPriceResponse, nullable: true, description: "the best offer in the region's currency, or null" }) bestPrice?: RetailerPriceResponse | null;
  @ApiProperty({ type: [RetailerPriceResponse] }) prices!: RetailerPriceResponse[];
  @ApiProperty({ type: [PartFitmentResponse] }) fitment!: PartFitmentResponse[];
}

@ApiSchema({ name: 'Contributor' })
export class ContributorResponse {
  @ApiProperty() displayName!: string;
}

@ApiSchema({ name: 'VerificationAuditEntry' })
export class VerificationAuditEntryResponse {
  @ApiProperty({ format: 'uuid' }) verificationId!: string;
  @ApiProperty({ format: 'uuid' }) bikeId!: string;
  @ApiProperty() fits!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'null when a moderator hid it' }) notes!: string | null;
  @ApiProperty({ type: ContributorResponse }) contributor!: ContributorResponse;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ description: 'active, superseded, retracted or hidden' }) state!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ type: 'integer', description: 'global log position' }) position!: number;
  @ApiProperty({ type: String, nullable: true, description: 'null only for a row written before the chain existed' }) hash!: string | null;
  @ApiProperty({ type: String, nullable: true }) prevHash!: string | null;
}

@ApiSchema({ name: 'ChainBreak' })
export class ChainBreakResponse {
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ enum: ['hash_mismatch', 'prev_hash_mismatch', 'revision_gap', 'unknown_hash_version', 'hash_version_downgrade'] }) reason!: string;
}

@ApiSchema({ name: 'ChainCheck', description: 'The hash-chain check of one fitment stream (part x bike), against the event store itself' })
export class ChainCheckResponse {
  @ApiProperty({ format: 'uuid' }) bikeId!: string;
  @ApiProperty() valid!: boolean;
  @ApiPropertyOptional({ description: 'when valid' }) lastHash?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'when valid' }) eventCount?: number;
  @ApiPropertyOptional({ type: ChainBreakResponse, description: 'when not valid: the first broken link' }) brokenAt?: ChainBreakResponse;
}

@ApiSchema({ name: 'VerificationAudit' })
export class VerificationAuditResponse {
  @ApiProperty({ type: [VerificationAuditEntryResponse], description: 'newest first' }) items!: VerificationAuditEntryResponse[];
  @ApiProperty({ description: 'every chain below verifies' }) chainValid!: boolean;
  @ApiProperty({ type: [ChainCheckResponse] }) chains!: ChainCheckResponse[];
}

/** The two cuts of a time-travel read; both null for a read of now. */
export class ClockCutsResponse {
  @ApiProperty({ type: String, nullable: true, description: 'the occurredAt cut asked for, else null' }) asOf!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the recordedAt cut asked for, else null' }) recordedAsOf!: string | null;
}

@ApiSchema({ name: 'PartCompatibility' })
export class PartCompatibilityResponse extends ClockCutsResponse {
  @ApiProperty({ format: 'uuid' }) partId!: string;
  @ApiProperty({ format: 'uuid' }) bikeId!: string;
  @ApiProperty(COMPATIBILITY_STATUS_PROPERTY) status!: CompatibilityStatus;
  @ApiProperty({ type: 'integer' }) confirmations!: number;
  @ApiProperty({ type: 'integer' }) refutations!: number;
  @ApiProperty({ type: String, nullable: true, description: 'manufacturer, retailer or staff: source of the published official fitment; null when none' }) officialSource!: string | null;
}
