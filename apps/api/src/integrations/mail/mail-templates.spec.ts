import { describe, expect, it } from '@jest/globals';
import { renderMail, subjectOf } from './mail-templates.js';

const context = { publicBaseUrl: 'https://motopartpicker.test', displayNames: new Map([['u-1', 'Sam']]) };

describe('mail templates', () => {
  it('renders a price-drop alert with money in the part currency and a link to the part', () => {
    const mail = renderMail(
      'price-drop-alert',
      { partId: 'p-1', partSlug: 'akrapovic-slip-on', partName: 'Akrapovic Slip-On', retailerName: 'MotoShop', priceCents: 54999, currency: 'EUR', targetPriceCents: 55000 },
      context,
    );
    expect(mail.subject).toBe('Price drop: Akrapovic Slip-On is now €549.99');
    expect(mail.text).toContain('at or below your target of €550.00');
    expect(mail.text).toContain('Compare prices: https://motopartpicker.test/parts/akrapovic-slip-on');
    expect(mail.html).toContain('<a href="https://motopartpicker.test/parts/akrapovic-slip-on">Compare prices</a>');
  });

  it('escapes every value it puts into HTML', () => {
    const mail = renderMail('build-shared', { buildId: 'b-1', buildName: '<script>alert("x")</script>', sharedByUserId: 'u-1' }, context);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.text).toContain('Sam shared the build "<script>alert("x")</script>"');
  });

  it('names the sharer only by the display name resolved when sending', () => {
    const unknown = renderMail('build-shared', { buildId: 'b-1', buildName: 'Commuter', sharedByUserId: 'u-gone' }, context);
    expect(unknown.text).toContain('A MotoPartPicker rider shared the build "Commuter"');
  });

  it('writes a weekly digest that says when there was nothing, and how to stop it', () => {
    const mail = renderMail('weekly-digest', { periodStart: '2026-11-09', periodEnd: '2026-11-15', newVerifications: 1, priceDrops: [] }, context);
    expect(mail.subject).toBe('Your MotoPartPicker week: 0 price drops');
    expect(mail.text).toContain('riders submitted 1 new fit verification.');
    expect(mail.text).toContain('No price drops');
    expect(mail.text).toContain('https://motopartpicker.test/account');
  });

  it('thanks a contributor in words that match the verification', () => {
    const data = { verificationId: 'v-1', partId: 'p-1', partName: 'Frame sliders', bikeName: '2020 Honda CB650R', fits: false };
    expect(subjectOf('verification-received', data)).toBe('Thanks: your verification of Frame sliders is recorded');
    expect(renderMail('verification-received', data, context).text).toContain('Frame sliders does not fit the 2020 Honda CB650R');
  });
});
