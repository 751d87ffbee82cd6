import { describe, expect, it } from '@jest/globals';
import { contactDetailIn, refuseContactDetails } from './contact-details.js';

describe('contactDetailIn', () => {
  it.each([
    'write to rider@example.com for photos',
    'Mail me: Jane.Doe+bikes@mail.example.co.uk',
  ])('finds an email address in %p', (text) => {
    expect(contactDetailIn(text)).toBe('email address');
  });

  it.each([
    'call 555-123-4567',
    'ring (555) 123 4567 after six',
    'WhatsApp +44 7700 900123',
    '07700 900123',
    '+49 151 2345 6789',
  ])('finds a phone number in %p', (text) => {
    expect(contactDetailIn(text)).toBe('phone number');
  });

  it.each([
    'Fits 2019-2021 models, bolts straight on',
    'Checked on 2018 2019 2020 bikes',
    'Rear 180/55 ZR17, front 120/70 ZR17',
    'Torque to 25 Nm; OEM 17211-MEL-000 replaced',
    'Took 45 minutes, 12,000 km on it since',
    'Mounted with the @ sign sticker removed',
  ])('lets ordinary fitment notes through: %p', (text) => {
    expect(contactDetailIn(text)).toBeUndefined();
  });
});

describe('refuseContactDetails', () => {
  it('is a 400 naming the field and saying why', () => {
    expect(() => refuseContactDetails('notes', 'mail rider@example.com')).toThrow(
      expect.objectContaining({ code: 'validation_failed', errors: [{ field: 'notes', message: expect.stringMatching(/^must not contain an email address: .*permanent log/) }] }),
    );
    expect(() => refuseContactDetails('notes', undefined)).not.toThrow();
  });
});
