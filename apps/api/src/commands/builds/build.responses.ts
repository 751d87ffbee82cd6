import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { CompatibilityStatus } from '@mpp/domain';
import {
  BikeResponse,
  COMPATIBILITY_STATUS_PROPERTY,
  PartSummaryResponse,
  RetailerPriceResponse,
} from '../../queries/read-models/read-model.responses.js';
import { ContributorResponse } from '../../queries/parts/part.responses.js';
import { VISIBILITIES } from './build.dto.js';

const VISIBILITY_PROPERTY = { enum: VISIBILITIES } as const;

@ApiSchema({ name: 'BuildPartLine' })
export class BuildPartLineResponse {
  @ApiProperty({ type: PartSummaryResponse }) part!: PartSummaryResponse;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ ...COMPATIBILITY_STATUS_PROPERTY, description: "the part's status on the build's bike" }) status!: CompatibilityStatus;
  @ApiProperty({ type: RetailerPriceResponse, nullable: true, description: "in the region's currency; null when the part has no offer in it (then it is not in the total)" }) bestPrice!: RetailerPriceResponse | null;
  @ApiPropertyOptional({ type: [RetailerPriceResponse], description: 'the best offer in each other currency, shown apart' }) otherPrices?: RetailerPriceResponse[];
}

@ApiSchema({ name: 'BuildWarning' })
export class BuildWarningResponse {
  @ApiProperty({ enum: ['part_not_known_to_fit', 'single_slot_conflict'] }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: [String] }) partIds!: string[];
  @ApiPropertyOptional({ description: 'the single-slot category of a single_slot_conflict' }) category?: string;
}

@ApiSchema({ name: 'MoneyTotal' })
export class MoneyTotalResponse {
  @ApiProperty({ type: 'integer' }) amountCents!: number;
  @ApiProperty() currency!: string;
}

@ApiSchema({ name: 'Build', description: 'A build with its lines, warnings and totals (one per currency)' })
export class BuildResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty({ type: ContributorResponse }) owner!: ContributorResponse;
  @ApiProperty({ type: BikeResponse, nullable: true }) bike!: BikeResponse | null;
  @ApiProperty(VISIBILITY_PROPERTY) visibility!: (typeof VISIBILITIES)[number];
  @ApiProperty({ type: 'integer', description: 'send as If-Match on the next edit' }) revision!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: [BuildPartLineResponse] }) parts!: BuildPartLineResponse[];
  @ApiProperty({ type: [BuildWarningResponse] }) warnings!: BuildWarningResponse[];
  @ApiPropertyOptional({ description: 'the region the build was priced for', example: 'GB' }) region?: string;
  @ApiProperty({ type: 'integer', description: 'the total in the first currency of totals; 0 when nothing is priced' }) totalPriceCents!: number;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty({ type: [MoneyTotalResponse], description: 'one per currency: a build mixing currencies is never summed into one number' }) totals!: MoneyTotalResponse[];
  @ApiProperty({ type: [String], description: 'parts without any known price, left out of the totals' }) unpricedPartIds!: string[];
}

@ApiSchema({ name: 'BuildSummary' })
export class BuildSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: BikeResponse, nullable: true }) bike!: BikeResponse | null;
  @ApiProperty(VISIBILITY_PROPERTY) visibility!: (typeof VISIBILITIES)[number];
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty({ type: 'integer' }) partCount!: number;
  @ApiProperty({ type: 'integer' }) totalPriceCents!: number;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty({ type: [MoneyTotalResponse] }) totals!: MoneyTotalResponse[];
  @ApiProperty({ type: 'integer', description: 'how many warnings (the messages are on the build)' }) warnings!: number;
  @ApiPropertyOptional({ type: 'integer', description: "lines with no offer in the region's currency (left out of the total)" }) unpricedPartCount?: number;
  @ApiPropertyOptional({ description: 'the region the build was priced for', example: 'GB' }) region?: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

@ApiSchema({ name: 'MyBuilds', description: "The signed-in rider's builds, last changed first" })
export class MyBuildsResponse {
  @ApiProperty({ type: [BuildSummaryResponse] }) items!: BuildSummaryResponse[];
}

@ApiSchema({ name: 'BuildDeleted' })
export class BuildDeletedResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: 'integer' }) position!: number;
}
