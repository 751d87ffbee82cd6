import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { OPERATIONS_PROBES } from '../rate-limit/strict-rate-limit.decorator.js';
import { PROBLEM_JSON } from './api-problems.decorator.js';
import { describeApi, serialiseOpenApiDocument } from './describe-api.js';
import { CSRF_SCHEME, SESSION_SCHEME } from './openapi-document.js';

const ROOT = join(__dirname, '../../../../..');
const COMMITTED = join(ROOT, 'apps/api/openapi.json');
const PROBLEM_REF = '#/components/schemas/ProblemDetails';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
}
interface Operation {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

function operationsOf(document: OpenAPIObject): { name: string; path: string; method: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'put', 'post', 'delete', 'patch'].includes(method))
      .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, path, method, operation: operation as Operation })),
  );
}

/** A schema that says nothing of its shape: `{type: object}` with no properties is what a `string | null` field without `type` becomes. */
function shapeless(schema: Schema | undefined): boolean {
  if (!schema) return true;
  if (schema.$ref || schema.allOf || schema.oneOf) return false;
  if (schema.type === 'array') return shapeless(schema.items);
  return schema.type === 'object' ? !schema.properties && !schema.additionalProperties : !schema.type;
}

/** Every property of every component schema, as `Schema.property`, that is shapeless. */
function shapelessProperties(document: OpenAPIObject): string[] {
  return Object.entries((document.components?.schemas ?? {}) as Record<string, Schema>).flatMap(([name, schema]) =>
    Object.entries(schema.properties ?? {})
      .filter(([, property]) => shapeless(property) && property.additionalProperties !== true)
      .map(([property]) => `${name}.${property}`),
  );
}

function runNode(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the OpenAPI document', () => {
  let document: OpenAPIObject;
  let operations: ReturnType<typeof operationsOf>;

  beforeAll(async () => {
    document = await describeApi();
    operations = operationsOf(document);
  }, 60_000);

  it('is the committed apps/api/openapi.json, which the web types are generated from', () => {
    // When this fails: `npm run openapi` rewrites it (and the web types); commit both.
    const committed = readFileSync(COMMITTED, 'utf8');
    expect(JSON.parse(committed)).toEqual(JSON.parse(serialiseOpenApiDocument(document)));
    expect(committed).toBe(serialiseOpenApiDocument(document));
    expect(operations.length).toBeGreaterThan(40);
  });

  it('passes `redocly lint` with the recommended rules: no error, no warning', () => {
    const lint = runNode([join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', 'apps/api/openapi.json', '--format=json']);
    const report = JSON.parse(lint.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string; location: { pointer: string }[] }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(lint.status).toBe(0);
  });

  it('gives every operation a summary, an operationId and its security (`[]` when public)', () => {
    const missing = operations.filter(({ operation }) => !operation.summary || !operation.operationId || !Array.isArray(operation.security));
    expect(missing.map((o) => o.name)).toEqual([]);
    expect(new Set(operations.map((o) => o.operation.operationId)).size).toBe(operations.length);
  });

  it('asks for the CSRF header on every session-authenticated mutation, and on nothing else', () => {
    for (const { name, method, operation } of operations) {
      for (const requirement of operation.security ?? []) {
        const needsCsrf = SESSION_SCHEME in requirement && method !== 'get';
        expect({ name, csrf: CSRF_SCHEME in requirement }).toEqual({ name, csrf: needsCsrf });
      }
    }
  });

  it('declares the success body of every operation with a schema that has a shape', () => {
    const undeclared = operations.flatMap(({ name, operation }) => {
      const codes = Object.keys(operation.responses);
      const success = codes.filter((code) => code.startsWith('2'));
      // Redirect-only routes (/go, Google sign-in) answer 302 with a Location, and no body.
      if (success.length === 0) return codes.some((code) => code.startsWith('3')) ? [] : [`${name}: no 2xx or 3xx`];
      return success.flatMap((code) => {
        const content = operation.responses[code]?.content;
        if (code === '204') return content ? [`${name}: 204 with a body`] : [];
        if (code === '202' && !content) return [];
        const schemas = Object.values(content ?? {}).map((media) => media.schema);
        return schemas.length > 0 && !schemas.some(shapeless) ? [] : [`${name}: ${code} without a schema`];
      });
    });
    expect(undeclared).toEqual([]);
    expect(shapelessProperties(document)).toEqual([]);
  });

  it('answers every refusal as problem+json with the shared ProblemDetails schema', () => {
    const wrong = operations.flatMap(({ name, operation }) =>
      Object.entries(operation.responses)
        .filter(([code]) => /^[45]/.test(code))
        .filter(([, response]) => Object.keys(response.content ?? {}).join() !== PROBLEM_JSON || response.content?.[PROBLEM_JSON]?.schema?.$ref !== PROBLEM_REF)
        .map(([code]) => `${name} ${code}`),
    );
    expect(wrong).toEqual([]);
  });

  it('declares 400 everywhere, 429 wherever the rate limit applies, and 401/403 wherever a session is required', () => {
    for (const { name, path, operation } of operations) {
      const codes = Object.keys(operation.responses);
      const sessionRequired = (operation.security ?? []).length > 0 && (operation.security ?? []).every((r) => SESSION_SCHEME in r);
      expect({ name, 400: codes.includes('400'), 429: codes.includes('429'), 401: codes.includes('401'), 403: codes.includes('403') }).toMatchObject({
        name,
        400: true,
        429: !OPERATIONS_PROBES.has(path),
        ...(sessionRequired ? { 401: true, 403: true } : {}),
      });
    }
  });

  it("generates the web's API types from the committed document (apps/web/src/app/core/api/api-schema.generated.ts)", () => {
    // When this fails: node tools/openapi/write-web-api-types.mjs (the web build runs it too).
    const check = runNode([join(ROOT, 'tools/openapi/write-web-api-types.mjs'), '--check']);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
