import type { ProjectionDefinition } from '@mpp/projection-runner';
import { CliUsageError } from './cli-context.js';

/** What `util.parseArgs` returns, without its per-call generic types. */
export interface ParsedArgs {
  values: { [name: string]: string | boolean | (string | boolean)[] | undefined };
  positionals: string[];
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

export function optionalString(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable option; `--type A --type B` and `--type A,B` mean the same. */
export function stringList(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  const raw = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return raw.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

export function requiredString(args: ParsedArgs, name: string): string {
  const value = optionalString(args, name);
  if (value === undefined || value === '') throw new CliUsageError(`--${name} is required`);
  return value;
}

export function onePositional(args: ParsedArgs, what: string): string {
  if (args.positionals.length === 0) throw new CliUsageError(`missing <${what}>`);
  if (args.positionals.length > 1) throw new CliUsageError(`unexpected arguments: ${args.positionals.slice(1).join(' ')}`);
  return args.positionals[0];
}

export function noPositionals(args: ParsedArgs): void {
  if (args.positionals.length > 0) throw new CliUsageError(`unexpected arguments: ${args.positionals.join(' ')}`);
}

export function positiveNumber(args: ParsedArgs, name: string, fallback: number): number {
  const raw = optionalString(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new CliUsageError(`--${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

/** A global position as typed by a person: a non-negative whole number. */
export function parsePosition(raw: string, option: string): bigint {
  if (!/^\d+$/.test(raw)) throw new CliUsageError(`${option} must be a position (a whole number), got ${JSON.stringify(raw)}`);
  return BigInt(raw);
}

/**
 * An ISO-8601 date or instant. A bare date means its midnight UTC; an instant without an offset is
 * refused, because reading it in the machine's zone would make the same command mean different times.
 */
export function parseInstant(raw: string, option: string): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(raw);
  const parsed = new Date(raw);
  if ((!dateOnly && !instant) || Number.isNaN(parsed.getTime())) {
    throw new CliUsageError(`${option} must be an ISO-8601 date or instant with an offset (2025-03-01 or 2025-03-01T12:00:00Z), got ${JSON.stringify(raw)}`);
  }
  return parsed;
}

export function findProjection<P extends Pick<ProjectionDefinition, 'name'>>(projections: readonly P[], name: string): P {
  const projection = projections.find((p) => p.name === name);
  if (!projection) throw new CliUsageError(`no projection named ${JSON.stringify(name)}; known: ${projections.map((p) => p.name).join(', ')}`);
  return projection;
}
