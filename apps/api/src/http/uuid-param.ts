import { Param, ParseUUIDPipe } from '@nestjs/common';
import { RequestValidationFailed } from './request-validation.js';

/** A UUID path parameter; anything else is a 400 naming the parameter. */
export const UuidParam = (name: string) =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => new RequestValidationFailed([{ field: name, message: `${name} must be a UUID` }]) }));
