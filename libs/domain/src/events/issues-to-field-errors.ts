import type { z } from 'zod';
import type { FieldError } from '../errors.js';

export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
  return issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter((segment) => segment !== '').join('.') || '(root)',
    message: issue.message,
  }));
}
