import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Emails are encrypted at rest (AES-256-GCM) and looked up by a keyed hash, so the users table
 * alone reveals no address. Both keys derive from SESSION_SECRET with HKDF.
 */
export class EmailCipher {
  private readonly encryptionKey: Buffer;
  private readonly lookupKey: Buffer;

  constructor(secret: string) {
    this.encryptionKey = Buffer.from(hkdfSync('sha256', secret, 'motopartpicker', 'email-encryption', 32));
    this.lookupKey = Buffer.from(hkdfSync('sha256', secret, 'motopartpicker', 'email-lookup', 32));
  }

  static normalise(email: string): string {
    return email.trim().toLowerCase();
  }

  lookupHash(email: string): string {
    return createHmac('sha256', this.lookupKey).update(EmailCipher.normalise(email)).digest('hex');
  }

  encrypt(email: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(EmailCipher.normalise(email), 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  decrypt(payload: string): string {
    const [iv, tag, body] = payload.split('.').map((part) => Buffer.from(part, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}
