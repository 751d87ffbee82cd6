import { ApiProperty, ApiSchema, type ApiPropertyOptions } from '@nestjs/swagger';
import { COMPATIBILITY_STATUSES, type BikeView, type PartSummaryView, type RetailerPriceView } from './read-model-views.js';

/** Response shapes shared by several reads (the mappers of read-model-views.ts), as the OpenAPI document names them. */

/**
 * Enums stay inline: a named enum schema comes out as a one-member `allOf`, which the lint's
 * recommended rules flag; clients still get the same union type everywhere.
 */
export const COMPATIBILITY_STATUS_PROPERTY = { enum: COMPATIBILITY_STATUSES } as const;

/** A part's attributes: free keys with text, number or yes/no values. */
export const PART_ATTRIBUTES_PROPERTY = {
  type: 'object',
  additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
} satisfies ApiPropertyOptions;

@ApiSchema({ name: 'Bike' })
export class BikeResponse implements BikeView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2021-yamaha-mt-07' }) slug!: string;
  @ApiProperty() year!: number;
  @ApiProperty() make!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ type: String, nullable: true }) trim!: string | null;
  @ApiProperty({ type: Number, nullable: true }) engineCc!: number | null;
}

@ApiSchema({ name: 'PartSummary' })
export class PartSummaryResponse implements PartSummaryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() brand!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'a key of the category vocabulary (libs/domain part-categories)' }) category!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
}

@ApiSchema({ name: 'RetailerRef' })
export class RetailerRefResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

@ApiSchema({ name: 'RetailerPrice', description: 'One offer of a part at one retailer; older than 24 h is stale' })
export class RetailerPriceResponse implements RetailerPriceView {
  @ApiProperty({ type: RetailerRefResponse }) retailer!: RetailerRefResponse;
  @ApiProperty({ type: 'integer' }) priceCents!: number;
  @ApiProperty({ description: 'ISO 4217', example: 'USD' }) currency!: string;
  @ApiProperty() inStock!: boolean;
  @ApiProperty({ description: 'the offer page at the retailer' }) url!: string;
  @ApiProperty({ format: 'date-time' }) observedAt!: string;
  @ApiProperty() stale!: boolean;
}

@ApiSchema({ name: 'FacetValue' })
export class FacetValueResponse {
  @ApiProperty() value!: string;
  @ApiProperty({ type: 'integer' }) count!: number;
}

@ApiSchema({ name: 'Facets', description: 'Counts per value of each filter, each counted without its own filter' })
export class FacetsResponse {
  @ApiProperty({ type: [FacetValueResponse] }) category!: FacetValueResponse[];
  @ApiProperty({ type: [FacetValueResponse] }) brand!: FacetValueResponse[];
  @ApiProperty({ type: [FacetValueResponse] }) status!: FacetValueResponse[];
}

/** The paging fields of every paged answer. */
export class PageResponse {
  @ApiProperty({ type: 'integer', description: 'matches in all pages' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
}
