import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.variable);
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.API_PORT).toBe(3000);
    expect(config.WEB_PORT).toBe(4000);
    expect(config.EVENT_STORE).toBe('postgres');
    expect(config.SEARCH).toBe('postgres');
    expect(config.devLoginEnabled).toBe(false);
  });

  it('names the variable whose value is invalid', () => {
    expect(problemsOf({ API_PORT: 'abc' })).toEqual(['API_PORT']);
    expect(problemsOf({ API_PORT: '70000' })).toEqual(['API_PORT']);
    expect(problemsOf({ EVENT_STORE: 'mysql' })).toEqual(['EVENT_STORE']);
    expect(problemsOf({ DATABASE_URL: 'mysql://x' })).toEqual(['DATABASE_URL']);
    expect(problemsOf({ AUTH_DEV_LOGIN: 'maybe' })).toEqual(['AUTH_DEV_LOGIN']);
  });

  it('requires the EventStoreDB URL when that store is chosen', () => {
    expect(problemsOf({ EVENT_STORE: 'eventstoredb' })).toEqual(['EVENTSTORE_URL']);
    expect(loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' }).EVENTSTORE_URL).toBe(
      'esdb://localhost:2113?tls=false',
    );
  });

  it('refuses a short session secret (the API requires one in production: dev-routes.e2e-spec)', () => {
    expect(problemsOf({ SESSION_SECRET: 'x'.repeat(31) })).toEqual(['SESSION_SECRET']);
    expect(problemsOf({ SESSION_SECRET: 'x'.repeat(32) })).toEqual([]);
  });

  it('never enables the dev sign-in in production', () => {
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), AUTH_DEV_LOGIN: '1' });
    expect(config.devLoginEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development', AUTH_DEV_LOGIN: '1' }).devLoginEnabled).toBe(true);
  });

  it('splits the CORS allow-list', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).CORS_ORIGINS).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('takes an Ed25519 PKCS8 PEM as the audit signing key, with \\n escapes too, and refuses any other key', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(loadConfig({ AUDIT_SIGNING_KEY: pem }).auditSigningKey?.asymmetricKeyType).toBe('ed25519');
    expect(loadConfig({ AUDIT_SIGNING_KEY: pem.replace(/\n/g, '\\n') }).auditSigningKey?.asymmetricKeyType).toBe('ed25519');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(problemsOf({ AUDIT_SIGNING_KEY: rsa })).toEqual(['AUDIT_SIGNING_KEY']);
    expect(problemsOf({ AUDIT_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----' })).toEqual(['AUDIT_SIGNING_KEY']);
    expect(problemsOf({ AUDIT_SIGNING_KEY: 'secret' })).toEqual(['AUDIT_SIGNING_KEY']);
  });
});

describe('production is the default mode', () => {
  it('is production when NODE_ENV is absent, so the flags alone open nothing', () => {
    const config = loadConfig({ AUTH_DEV_LOGIN: '1', DEV_MAILBOX: '1' });
    expect(config.NODE_ENV).toBe('production');
    expect(config.devLoginEnabled).toBe(false);
    expect(config.devMailboxEnabled).toBe(false);
  });

  it('opens the dev mailbox only with its own flag in development', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).devMailboxEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development', DEV_MAILBOX: '1' }).devMailboxEnabled).toBe(true);
  });

  it('never echoes a rejected secret', () => {
    const secret = 'hunter2-short';
    try {
      loadConfig({ SESSION_SECRET: secret });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain('SESSION_SECRET');
      expect((error as ConfigError).message).not.toContain(secret);
    }
  });
});
