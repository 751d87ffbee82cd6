import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import type { AppConfig } from '@mpp/config';
import { keyIdOf, publicKeyPem } from '@mpp/domain';
import { APP_CONFIG } from '../../infrastructure/tokens.js';

/** The checkpoint signing key from AUDIT_SIGNING_KEY; absent, checkpoints are off with a clear 503. */
@Injectable()
export class AuditKeys {
  private readonly privateKey: KeyObject | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.privateKey = config.auditSigningKey;
    if (!this.privateKey) new Logger('AuditKeys').log('Audit checkpoints are off: AUDIT_SIGNING_KEY is not set');
  }

  get configured(): boolean {
    return this.privateKey !== undefined;
  }

  signingKey(): KeyObject {
    if (!this.privateKey) throw notConfigured();
    return this.privateKey;
  }

  publicKey(): { algorithm: 'Ed25519'; publicKey: string; keyId: string } {
    const key = this.signingKey();
    return { algorithm: 'Ed25519', publicKey: publicKeyPem(key), keyId: keyIdOf(key) };
  }
}

const notConfigured = () => new ServiceUnavailableException('Audit checkpoints are not configured on this server (AUDIT_SIGNING_KEY).');
