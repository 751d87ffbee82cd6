import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DEFAULT_REGION, REGION_CODES } from '@mpp/domain';

/**
 * `region` on a price-bearing read (DESIGN §10): the rider's ISO 3166-1 alpha-2 country. It selects
 * the currency the read ranks, filters and totals in (docs/api.md, "Regions"); absent, the read
 * answers for DEFAULT_REGION and says so. A country we do not serve is a 400 naming the field.
 */
export function IsRegion(): PropertyDecorator {
  const decorators = [
    ApiPropertyOptional({ enum: REGION_CODES, default: DEFAULT_REGION, description: 'ISO 3166-1 alpha-2 country of the rider; selects the currency compared' }),
    IsOptional(),
    IsIn(REGION_CODES as string[], { message: `region must be an ISO 3166-1 alpha-2 country code we serve: ${REGION_CODES.join(', ')}` }),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

export class RegionQueryDto {
  @IsRegion() region?: string;
}
