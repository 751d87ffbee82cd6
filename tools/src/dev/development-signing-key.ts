import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { REPO_ROOT } from './embedded-database.js';

const KEY_FILE = resolve(REPO_ROOT, '.data', 'audit-signing-key.pem');

/**
 * The Ed25519 key that signs audit checkpoints on a developer's machine, made once and kept under
 * `.data/` so checkpoints stay verifiable across restarts. Production sets AUDIT_SIGNING_KEY itself.
 */
export function developmentSigningKey(log: (line: string) => void): string {
  if (!existsSync(KEY_FILE)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(dirname(KEY_FILE), { recursive: true });
    writeFileSync(KEY_FILE, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    log(`generated a development audit signing key: ${KEY_FILE}`);
  }
  return readFileSync(KEY_FILE, 'utf8');
}
