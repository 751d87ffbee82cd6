import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';
import { clockCutProblem, parseClockCut, type AsOf } from '@mpp/domain';

/** A log position or an ISO-8601 instant with an offset; anything else is a 400 naming the parameter. */
export const IsClockCut = () =>
  ValidateBy({
    name: 'isClockCut',
    validator: {
      validate: (value: unknown) => clockCutProblem(value) === undefined,
      defaultMessage: (args) => `${args?.property} ${clockCutProblem(args?.value)}`,
    },
  });

const CUT = 'a log position (whole number) or an ISO-8601 instant with an offset';

/** The two clocks of DESIGN §10 on a read route (docs/analysts.md "Time travel"). */
export class ClockQueryDto {
  @ApiPropertyOptional({ description: `as it stood when things happened (events' occurredAt): ${CUT}`, example: '2026-03-01T12:00:00Z' })
  @IsOptional()
  @IsClockCut()
  asOf?: string;

  @ApiPropertyOptional({ description: `as the store had recorded it (commit time): ${CUT}`, example: '4711' })
  @IsOptional()
  @IsClockCut()
  recordedAsOf?: string;
}

/** undefined when neither clock is given: the caller answers from the current read model. */
export function asOfFrom(query: ClockQueryDto): AsOf | undefined {
  if (query.asOf === undefined && query.recordedAsOf === undefined) return undefined;
  return {
    ...(query.asOf !== undefined ? { happened: parseClockCut(query.asOf, 'asOf') } : {}),
    ...(query.recordedAsOf !== undefined ? { recorded: parseClockCut(query.recordedAsOf, 'recordedAsOf') } : {}),
  };
}
