import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { CompatibilityStatus } from '@mpp/domain';
import {
  BikeResponse,
  COMPATIBILITY_STATUS_PROPERTY,
  FacetsResponse,
  PageResponse,
  PartSummaryResponse,
  RetailerPriceResponse,
} from '../read-models/read-model.responses.js';

@ApiSchema({ name: 'BikePage' })
export class BikePageResponse extends PageResponse {
  @ApiProperty({ type: [BikeResponse] }) items!: BikeResponse[];
}

@ApiSchema({ name: 'BikeOptions', description: 'Choices for the year -> make -> model cascade' })
export class BikeOptionsResponse {
  @ApiProperty({ type: [Number] }) years!: number[];
  @ApiProperty({ type: [String], description: 'makes of the given year (empty without one)' }) makes!: string[];
  @ApiProperty({ type: [String], description: 'models of the given year and make (empty without both)' }) models!: string[];
}

@ApiSchema({ name: 'BikePartRow' })
export class BikePartRowResponse {
  @ApiProperty({ type: PartSummaryResponse }) part!: PartSummaryResponse;
  @ApiProperty(COMPATIBILITY_STATUS_PROPERTY) status!: CompatibilityStatus;
  @ApiProperty({ type: 'integer' }) confirmations!: number;
  @ApiProperty({ type: 'integer' }) refutations!: number;
  @ApiProperty({ type: RetailerPriceResponse, nullable: true, description: "the cheapest offer in the region's currency; null when none" }) bestPrice!: RetailerPriceResponse | null;
  @ApiPropertyOptional({ type: [RetailerPriceResponse], description: 'the best offer in each other currency, shown apart and never ranked against bestPrice' }) otherPrices?: RetailerPriceResponse[];
}

@ApiSchema({ name: 'BikeParts' })
export class BikePartsResponse extends PageResponse {
  @ApiProperty({ type: BikeResponse }) bike!: BikeResponse;
  @ApiPropertyOptional({ description: 'the region the answer was priced for (a `region` query parameter, else US)', example: 'GB' }) region?: string;
  @ApiPropertyOptional({ description: "ISO 4217: the region's currency, in which every best price of the answer is", example: 'GBP' }) currency?: string;
  @ApiProperty({ type: [BikePartRowResponse] }) items!: BikePartRowResponse[];
  @ApiProperty({ type: FacetsResponse }) facets!: FacetsResponse;
}
