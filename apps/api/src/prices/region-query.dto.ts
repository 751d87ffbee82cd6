import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/**
 * `region` on a price-bearing read (DESIGN §10): the rider's ISO 3166-1 alpha-2 country. Every
 * amount in these answers already names its currency and none ranks two currencies, so a read
 * that has nothing to narrow by region accepts it rather than refusing the web's parameter.
 */
export function IsRegion(): PropertyDecorator {
  const decorators = [
    ApiPropertyOptional({ example: 'GB', description: 'ISO 3166-1 alpha-2 country of the rider' }),
    IsOptional(),
    Matches(/^[A-Z]{2}$/, { message: 'region must be an ISO 3166-1 alpha-2 country code such as US, GB or DE' }),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

export class RegionQueryDto {
  @IsRegion() region?: string;
}
