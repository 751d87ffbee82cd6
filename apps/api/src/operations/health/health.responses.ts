import { ApiProperty, ApiSchema, type ApiPropertyOptions } from '@nestjs/swagger';

const INDICATORS: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } }, additionalProperties: true },
  description: 'per dependency: its status and what its check reports',
};

/** Terminus's answer for a passing check (a failing readiness check is a 503 problem instead). */
@ApiSchema({ name: 'HealthCheckResult' })
export class HealthCheckResultResponse {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty(INDICATORS) info!: Record<string, unknown>;
  @ApiProperty(INDICATORS) error!: Record<string, unknown>;
  @ApiProperty(INDICATORS) details!: Record<string, unknown>;
}
