import { HttpException, HttpStatus } from '@nestjs/common';
import { RequestValidationFailed } from '../../http/request-validation.js';

/**
 * The build revision an edit is based on, from `If-Match` (`3`, `"3"` or `W/"3"`). Edits without
 * it would risk lost updates, so it is required (428).
 */
export function revisionFromIfMatch(header: string | undefined): number {
  if (header === undefined || header.trim() === '') {
    throw new HttpException('Send If-Match with the revision your edit is based on.', HttpStatus.PRECONDITION_REQUIRED);
  }
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw new RequestValidationFailed([{ field: 'If-Match', message: 'must be a build revision such as "3"' }]);
  return Number(match[1]);
}

export const etagOf = (revision: number) => `"${revision}"`;
