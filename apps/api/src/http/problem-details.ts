import { STATUS_CODES } from 'node:http';

/** RFC 9457 problem details; `errors` lists field-level problems of a rejected request. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `parts.0.quantity`; `body` for the body as a whole. */
  field: string;
  message: string;
}

const PROBLEM_BASE = 'https://motopartpicker.dev/problems/';

export function problem(status: number, slug: string | null, detail?: string, extra: Partial<ProblemDetails> = {}): ProblemDetails {
  return {
    type: slug ? PROBLEM_BASE + slug : 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    ...extra,
  };
}
