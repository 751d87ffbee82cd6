import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { SearchHit, SearchResult } from '@mpp/search';
import { COMPATIBILITY_STATUS_PROPERTY, FacetsResponse, PageResponse, PartSummaryResponse } from '../read-models/read-model.responses.js';

@ApiSchema({ name: 'SearchHit' })
export class SearchHitResponse extends PartSummaryResponse implements SearchHit {
  @ApiProperty({ type: 'integer', nullable: true }) bestPriceCents!: number | null;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty({ ...COMPATIBILITY_STATUS_PROPERTY, type: String, nullable: true, description: "the pair's status when the query names a bikeId, else null" })
  status!: SearchHit['status'];
  @ApiProperty({ type: 'integer', description: 'for the filtered bike when there is one, else over all bikes' }) confirmations!: number;
  @ApiProperty({ type: 'integer' }) refutations!: number;
}

@ApiSchema({ name: 'SearchResults' })
export class SearchResultsResponse extends PageResponse implements SearchResult {
  @ApiProperty({ type: [SearchHitResponse] }) hits!: SearchHitResponse[];
  @ApiProperty({ type: FacetsResponse }) facets!: FacetsResponse;
  @ApiProperty({ enum: ['postgres', 'meilisearch'], description: 'which engine answered' }) engine!: SearchResult['engine'];
}
