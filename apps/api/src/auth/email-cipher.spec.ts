import { describe, expect, it } from '@jest/globals';
import { EmailCipher } from './email-cipher.js';

describe('EmailCipher', () => {
  const cipher = new EmailCipher('a-secret-of-at-least-thirty-two-characters');

  it('round-trips an email without storing it in clear', () => {
    const stored = cipher.encrypt('Rider@Example.com');
    expect(stored).not.toContain('example');
    expect(cipher.decrypt(stored)).toBe('rider@example.com');
  });

  it('finds the same user whatever the case and spacing of the email', () => {
    expect(cipher.lookupHash(' Rider@Example.com ')).toBe(cipher.lookupHash('rider@example.com'));
    expect(cipher.lookupHash('other@example.com')).not.toBe(cipher.lookupHash('rider@example.com'));
  });

  it('refuses a tampered ciphertext', () => {
    const stored = cipher.encrypt('rider@example.com');
    const [iv, tag, body] = stored.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
  });

  it('cannot read what another secret encrypted', () => {
    const other = new EmailCipher('another-secret-of-at-least-thirty-two-chars');
    expect(() => other.decrypt(cipher.encrypt('rider@example.com'))).toThrow();
  });
});
