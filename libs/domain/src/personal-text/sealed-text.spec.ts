import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { UNREADABLE_BUILD_NAME, readableBuildName, readableBuildParts } from '../build/build.events.js';
import { parseEvent } from '../events/parse-event.js';
import { GENESIS_HASH, hashFitmentEvent } from '../fitment/hash-chain.js';
import { BRAKE_PADS_ID, MT07_ID, RIDER, SLIP_ON_ID } from '../testing/catalog-fixtures.js';
import { verifyChain } from '../fitment/verify-chain.js';
import { commitText, openSealedText, sealText, type SealedEnvelope } from './sealed-text.js';
import { openPersonalText, personalTextOwner, sealPersonalText, sealedTextOwners } from './personal-text-fields.js';

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 9);
/** Fixed "random" bytes, so the sealed form is reproducible: the salt is 0x01..., the iv 0x02... */
const fixedRandom = (() => {
  let call = 0;
  return (size: number) => Buffer.alloc(size, ++call);
})();

describe('sealText / openSealedText', () => {
  it('commits to SHA-256(salt || UTF-8 text), the recipe docs/domain.md gives', () => {
    const salt = Buffer.alloc(32, 1);
    const expected = createHash('sha256').update(Buffer.concat([salt, Buffer.from('Fits, 2 mm gap', 'utf8')])).digest('hex');
    expect(commitText('Fits, 2 mm gap', salt)).toBe(expected);
    expect(expected).toBe('c4954f12e17e5abad1169402fab9890c2177261d422c65c0fc4879df3307af93');
    const { sealed } = sealText('Fits, 2 mm gap', 'rider-1', key, fixedRandom);
    expect(sealed).toEqual({ commitment: expected });
  });

  it('opens with the owner’s key to the exact text, emoji and all', () => {
    const text = 'Fits 🏍️ — rear hugger needs 2 mm spacer';
    const { sealed, envelope } = sealText(text, 'rider-1', key);
    expect(openSealedText(sealed, envelope, key)).toEqual({ readable: true, text });
  });

  it('uses a fresh salt each time, so equal notes do not show as equal commitments', () => {
    expect(sealText('Fits', 'rider-1', key).sealed).not.toEqual(sealText('Fits', 'rider-1', key).sealed);
  });

  it('reports tampering: another key, an edited ciphertext, another owner, or a commitment that is not this text’s', () => {
    const { sealed, envelope } = sealText('Fits', 'rider-1', key);
    const flipped = Buffer.from(envelope.ciphertext, 'base64url');
    flipped[0]! ^= 1;
    const tampered: Array<[typeof sealed, SealedEnvelope, Buffer]> = [
      [sealed, envelope, otherKey],
      [sealed, { ...envelope, ciphertext: flipped.toString('base64url') }, key],
      [sealed, { ...envelope, owner: 'rider-2' }, key],
      [{ commitment: commitText('Does not fit', randomBytes(32)) }, envelope, key],
    ];
    for (const [commitment, edited, withKey] of tampered) expect(openSealedText(commitment, edited, withKey)).toEqual({ readable: false, reason: 'tampered' });
  });

  it('refuses a key that is not 256 bits', () => {
    expect(() => sealText('Fits', 'rider-1', Buffer.alloc(16))).toThrow(RangeError);
  });
});

describe('sealPersonalText / openPersonalText on event data', () => {
  const submitted = { verificationId: 'v-1', partId: 'p', bikeId: 'b', userId: 'rider-1', fits: true, notes: 'Bolted on' };

  it('seals only the listed free text, under the owner the event names', () => {
    expect(personalTextOwner('VerificationSubmitted', submitted)).toBe('rider-1');
    expect(personalTextOwner('VerificationSubmitted', { ...submitted, notes: undefined })).toBeUndefined();
    expect(personalTextOwner('PriceObserved', { url: 'https://example.com' })).toBeUndefined();
    const { data, sealed } = sealPersonalText('VerificationSubmitted', submitted, key);
    expect(data).toEqual({ ...submitted, notes: { commitment: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(JSON.stringify(data)).not.toContain('Bolted');
    expect(sealedTextOwners({ sealed })).toEqual(['rider-1']);
    expect(openPersonalText('VerificationSubmitted', data, { sealed }, new Map([['rider-1', key]]))).toEqual({ data: submitted, unreadable: [] });
  });

  it('leaves an erased note as its commitment (still sealed, so no text), and passes plain text of older events through', () => {
    const { data, sealed } = sealPersonalText('VerificationSubmitted', submitted, key);
    expect(openPersonalText('VerificationSubmitted', data, { sealed }, new Map())).toEqual({ data, unreadable: [{ field: 'notes', reason: 'erased' }] });
    expect(openPersonalText('VerificationSubmitted', submitted, {}, new Map())).toEqual({ data: submitted, unreadable: [] });
  });

  it('seals a build’s name and every part note under the owner’s key, each envelope under its member’s path', () => {
    const updated = {
      buildId: 'b-1',
      ownerId: 'rider-1',
      revision: 2,
      name: 'Alps tourer',
      bikeId: 'bike',
      visibility: 'private',
      parts: [{ partId: 'p-1', quantity: 1 }, { partId: 'p-2', quantity: 2, note: 'front only' }, { partId: 'p-3', quantity: 1, note: 'spare' }],
      changes: ['parts'],
    };
    const { data, sealed } = sealPersonalText('BuildUpdated', updated, key);
    expect(JSON.stringify(data)).not.toMatch(/Alps|front only|spare/);
    expect(Object.keys(sealed!).sort()).toEqual(['name', 'parts.1.note', 'parts.2.note']);
    expect(data.parts).toEqual([{ partId: 'p-1', quantity: 1 }, { partId: 'p-2', quantity: 2, note: { commitment: expect.any(String) } }, { partId: 'p-3', quantity: 1, note: { commitment: expect.any(String) } }]);
    expect(updated.parts[1]).toEqual({ partId: 'p-2', quantity: 2, note: 'front only' });
    expect(openPersonalText('BuildUpdated', data, { sealed }, new Map([['rider-1', key]]))).toEqual({ data: updated, unreadable: [] });
    expect(openPersonalText('BuildUpdated', data, { sealed }, new Map()).unreadable.map((item) => item.field)).toEqual(['name', 'parts.1.note', 'parts.2.note']);
    const created = { buildId: 'b-1', ownerId: 'rider-1', name: 'Alps tourer', bikeId: 'bike', visibility: 'private' };
    expect(personalTextOwner('BuildCreated', created)).toBe('rider-1');
    expect(JSON.stringify(sealPersonalText('BuildCreated', created, key).data)).not.toContain('Alps');
  });

  describe('build events written before builds were sealed (no upcaster: the read path takes both forms)', () => {
    const buildId = '0b4f6f3e-5d6c-4a8e-9f00-0000000000b1';
    const oldCreated = { buildId, ownerId: RIDER, name: 'Alps tourer', bikeId: MT07_ID, visibility: 'private' };
    // Updates written before sealing do not name the owner.
    const oldUpdated = {
      buildId,
      revision: 2,
      name: 'Alps tourer',
      bikeId: MT07_ID,
      visibility: 'private',
      parts: [{ partId: SLIP_ON_ID, quantity: 1 }, { partId: BRAKE_PADS_ID, quantity: 2, note: 'front only' }],
      changes: ['parts'],
    };

    it('reads an old plain name and part notes exactly as stored: valid in the current schema, no key asked, nothing unreadable', () => {
      // An old event's metadata has no `sealed`: no owner's key is looked up for it.
      expect(sealedTextOwners({ correlationId: 'c-1' })).toEqual([]);
      for (const [type, data] of [['BuildCreated', oldCreated], ['BuildUpdated', oldUpdated]] as const) {
        const opened = openPersonalText(type, data, {}, new Map());
        expect(opened).toEqual({ data, unreadable: [] });
        expect(parseEvent(type, opened.data)).toEqual({ type, data });
      }
      const updated = parseEvent('BuildUpdated', oldUpdated);
      if (updated.type !== 'BuildUpdated') throw new Error('parsed as another type');
      expect(readableBuildName(updated.data.name)).toBe('Alps tourer');
      expect(readableBuildParts(updated.data.parts)).toEqual(oldUpdated.parts);
    });

    it('reads a stream that mixes an old plain creation with a sealed update; erasing the key hides only the sealed text', () => {
      const { data: sealedUpdate, sealed } = sealPersonalText('BuildUpdated', { ...oldUpdated, ownerId: RIDER, revision: 3, name: 'Alps tourer v2', changes: ['name'] }, key);
      expect(JSON.stringify(sealedUpdate)).not.toMatch(/Alps|front only/);
      const withKey = parseEvent('BuildUpdated', openPersonalText('BuildUpdated', sealedUpdate, { sealed }, new Map([[RIDER, key]])).data);
      const erased = parseEvent('BuildUpdated', openPersonalText('BuildUpdated', sealedUpdate, { sealed }, new Map()).data);
      if (withKey.type !== 'BuildUpdated' || erased.type !== 'BuildUpdated') throw new Error('parsed as another type');
      expect([readableBuildName(withKey.data.name), readableBuildParts(withKey.data.parts)[1]?.note]).toEqual(['Alps tourer v2', 'front only']);
      expect([readableBuildName(erased.data.name), readableBuildParts(erased.data.parts)]).toEqual([UNREADABLE_BUILD_NAME, oldUpdated.parts.map(({ partId, quantity }) => ({ partId, quantity }))]);
      // The old plain creation stays readable without the key: the residue docs/reliability.md states.
      expect(openPersonalText('BuildCreated', oldCreated, {}, new Map()).data.name).toBe('Alps tourer');
    });
  });

  it('refuses to seal a build update that does not name its owner', () => {
    expect(() => personalTextOwner('BuildUpdated', { buildId: 'b-1', name: 'Alps tourer', parts: [] })).toThrow(TypeError);
  });

  it('keeps a chain of sealed events verifying after the key is gone: the hash covers the commitment, not the ciphertext', () => {
    const { data, sealed } = sealPersonalText('VerificationSubmitted', submitted, key);
    const metadata = { hashVersion: 2, occurredAt: '2026-12-03T10:00:00.000Z', actor: 'rider-1', prevHash: GENESIS_HASH, sealed };
    const hash = hashFitmentEvent({ hashVersion: 2, type: 'VerificationSubmitted', data, prevHash: GENESIS_HASH, revision: 0, occurredAt: metadata.occurredAt, actor: metadata.actor });
    const event = { revision: 0, eventId: 'e-1', type: 'VerificationSubmitted', data, metadata: { ...metadata, hash } };
    expect(verifyChain([event]).valid).toBe(true);
    // Shredding (the key) or even dropping the ciphertext changes nothing the hash covers.
    const { sealed: _dropped, ...withoutCiphertext } = event.metadata;
    expect(verifyChain([{ ...event, metadata: withoutCiphertext }]).valid).toBe(true);
    // The text itself is bound: another commitment breaks the chain.
    expect(verifyChain([{ ...event, data: { ...data, notes: { commitment: commitText('Does not fit', randomBytes(32)) } } }]).valid).toBe(false);
  });
});
