import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { FieldProblem, ProblemDetails } from '../problem-details.js';

@ApiSchema({ name: 'FieldProblem' })
export class FieldProblemSchema implements FieldProblem {
  @ApiProperty({ description: 'Dotted path of the offending field, e.g. `parts.0.quantity`; `body` for the body as a whole' }) field!: string;
  @ApiProperty() message!: string;
}

/** The one error body of the API (RFC 9457), as ProblemDetailsFilter writes it. */
@ApiSchema({ name: 'ProblemDetails', description: 'RFC 9457 problem details; `errors` lists field-level problems of a rejected request' })
export class ProblemDetailsSchema implements Pick<ProblemDetails, 'type' | 'title' | 'status' | 'detail' | 'instance' | 'errors'> {
  @ApiProperty({ description: 'URI naming the kind of problem, or `about:blank`', example: 'https://motopartpicker.dev/problems/validation' }) type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiPropertyOptional() detail?: string;
  @ApiPropertyOptional() instance?: string;
  @ApiPropertyOptional({ type: [FieldProblemSchema] }) errors?: FieldProblemSchema[];
}
