import { describe, expect, it } from '@jest/globals';
import { redactPersonalData, redactText } from './personal-data-redaction.js';

describe('personal data redaction', () => {
  it('blanks fields whose names say they hold personal data, at any depth', () => {
    expect(redactPersonalData({ outboxId: 'o-1', to: 'a@b.example', user: { email: 'x', displayName: 'Sam', ipAddress: '1.2.3.4' }, kind: 'digest' })).toEqual({
      outboxId: 'o-1',
      to: '[redacted]',
      user: { email: '[redacted]', displayName: '[redacted]', ipAddress: '[redacted]' },
      kind: 'digest',
    });
  });

  it('keeps identifiers and counts', () => {
    const payload = { userId: 'u-1', toUserId: 'u-2', attempts: 3, partName: 'Slip-on' };
    expect(redactPersonalData(payload)).toEqual(payload);
  });

  it('blanks email addresses inside text, as provider errors sometimes echo them', () => {
    expect(redactText('Invalid `to` field: Rider.Name+tag@mail.example.co.uk is not allowed')).toBe('Invalid `to` field: [email] is not allowed');
    expect(redactPersonalData(['ok', 'to <someone@example.com>'])).toEqual(['ok', 'to <[email]>']);
  });
});
