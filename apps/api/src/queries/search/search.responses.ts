import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { SearchHit, SearchResult } from '@mpp/search';
import { COMPATIBILITY_STATUS_PROPERTY, FacetsResponse, PageResponse, PartSummaryResponse } from '../read-models/read-model.responses.js';

@ApiSchema({ name: 'OtherPrice' })
export class OtherPriceResponse {
  @ApiProperty() currency!: string;
  @ApiProperty({ type: 'integer' }) priceCents!: number;
}

@ApiSchema({ name: 'SearchHit' })
export class SearchHitResponse extends PartSummaryResponse implements SearchHit {
  @ApiProperty({ type: 'integer', nullable: true }) bestPriceCents!: number | null;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty({ type: [OtherPriceResponse], description: 'the best price in each other currency, shown apart' }) otherPrices!: OtherPriceResponse[];
  @ApiProperty({ ...COMPATIBILITY_STATUS_PROPERTY, type: String, nullable: true, description: "the pair's status when the query names a bikeId, else null" })
  status!: SearchHit['status'];
  @ApiProperty({ type: 'integer', description: 'for the filtered bike when there is one, else over all bikes' }) confirmations!: number;
  @ApiProperty({ type: 'integer' }) refutations!: number;
}

@ApiSchema({ name: 'SearchExhaustive' })
export class SearchExhaustiveResponse {
  @ApiProperty({ description: 'true: `total` counted every match; false: an estimate (a query matching very many parts)' }) total!: boolean;
  @ApiProperty({ description: 'true: the facet counts counted every match; false: estimates' }) facets!: boolean;
}

@ApiSchema({ name: 'SearchResults' })
export class SearchResultsResponse extends PageResponse implements SearchResult {
  @ApiPropertyOptional({ description: 'the region the answer was priced for (a `region` query parameter, else US)', example: 'GB' }) region?: string;
  @ApiPropertyOptional({ description: "ISO 4217: the region's currency, in which every best price of the answer is", example: 'GBP' }) currency?: string;
  @ApiProperty({ type: [SearchHitResponse] }) hits!: SearchHitResponse[];
  @ApiProperty({ type: FacetsResponse }) facets!: FacetsResponse;
  @ApiProperty({ type: SearchExhaustiveResponse, description: 'whether total and facets are exact counts or estimates' }) exhaustive!: SearchExhaustiveResponse;
  @ApiProperty({ enum: ['postgres', 'meilisearch'], description: 'which engine answered' }) engine!: SearchResult['engine'];
}
