import { describe, expect, it } from '@jest/globals';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { isOperationsProbe, isStrictRoute, StrictRateLimit } from './strict-rate-limit.decorator.js';

class VerificationsController {
  @StrictRateLimit()
  submit(): void {}

  list(): void {}
}

const contextFor = (handler: () => void, path: string) =>
  new ExecutionContextHost([{ path }, {}], VerificationsController, handler);

describe('StrictRateLimit', () => {
  it('puts a marked route under the strict throttler', () => {
    expect(isStrictRoute(contextFor(VerificationsController.prototype.submit, '/api/verifications'))).toBe(true);
  });

  it('leaves unmarked routes to the global limit only', () => {
    expect(isStrictRoute(contextFor(VerificationsController.prototype.list, '/api/verifications'))).toBe(false);
  });

  it('treats every /auth/ route as strict without marking', () => {
    expect(isStrictRoute(contextFor(VerificationsController.prototype.list, '/auth/dev-login'))).toBe(true);
  });

  it('recognises health and metrics probes', () => {
    expect(isOperationsProbe(contextFor(VerificationsController.prototype.list, '/ready'))).toBe(true);
    expect(isOperationsProbe(contextFor(VerificationsController.prototype.list, '/api/ready'))).toBe(false);
  });
});
