import { receiptSubject } from '@mpp/projections';
import type { MailData, MailKind } from './mail-kinds.js';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderContext {
  publicBaseUrl: string;
  /** Display names of the users a template mentions by id (the sharer of a build). */
  displayNames: ReadonlyMap<string, string>;
}

interface Template<K extends MailKind> {
  subject(data: MailData[K]): string;
  /** Paragraphs; each is text, or a link rendered as an anchor in HTML and as "label: url" in text. */
  body(data: MailData[K], context: RenderContext): Block[];
}

type Block = string | { label: string; href: string };

const money = (cents: number, currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
const link = (context: RenderContext, path: string) => new URL(path, context.publicBaseUrl).toString();
const partPath = (data: { partId: string; partSlug?: string }) => `/parts/${encodeURIComponent(data.partSlug ?? data.partId)}`;

const TEMPLATES: { [K in MailKind]: Template<K> } = {
  'verification-received': {
    subject: receiptSubject,
    body: (d, c) => [
      `You reported that ${d.partName} ${d.fits ? 'fits' : 'does not fit'} the ${d.bikeName}.`,
      'Your verification is now part of the public, tamper-evident audit trail for this part.',
      { label: 'See the part and its verifications', href: link(c, partPath(d)) },
      `Verification id: ${d.verificationId}`,
    ],
  },
  'build-shared': {
    subject: (d) => `A rider shared a motorcycle build with you: ${d.buildName}`,
    body: (d, c) => [
      `${c.displayNames.get(d.sharedByUserId) ?? 'A MotoPartPicker rider'} shared the build "${d.buildName}" with you.`,
      { label: 'Open the build', href: link(c, `/builds/${encodeURIComponent(d.buildId)}`) },
      'You received this because someone entered your address; we keep no account for you.',
    ],
  },
  'weekly-digest': {
    subject: (d) => `Your MotoPartPicker week: ${d.priceDrops.length} price drop${d.priceDrops.length === 1 ? '' : 's'}`,
    body: (d, c) => [
      `From ${d.periodStart} to ${d.periodEnd} riders submitted ${d.newVerifications} new fit verification${d.newVerifications === 1 ? '' : 's'}.`,
      ...(d.priceDrops.length === 0
        ? ['No price drops on the parts you follow this week.']
        : d.priceDrops.map((p) => ({ label: `${p.partName}: ${money(p.priceCents, p.currency)} at ${p.retailerName}`, href: link(c, partPath(p)) }))),
      { label: 'Stop the weekly digest in your account settings', href: link(c, '/account') },
    ],
  },
  'price-drop-alert': {
    subject: (d) => `Price drop: ${d.partName} is now ${money(d.priceCents, d.currency)}`,
    body: (d, c) => [
      `${d.partName} is ${money(d.priceCents, d.currency)} at ${d.retailerName}, at or below your target of ${money(d.targetPriceCents, d.currency)}.`,
      { label: 'Compare prices', href: link(c, partPath(d)) },
      { label: 'Manage your price alerts', href: link(c, '/account') },
    ],
  },
};

export function subjectOf<K extends MailKind>(kind: K, data: MailData[K]): string {
  return (TEMPLATES[kind] as Template<K>).subject(data);
}

/** Plain text and simple HTML of one mail; every value from data is escaped in the HTML. */
export function renderMail<K extends MailKind>(kind: K, data: MailData[K], context: RenderContext): RenderedMail {
  const template = TEMPLATES[kind] as Template<K> | undefined;
  if (!template) throw new Error(`no template for mail kind ${String(kind)}`);
  const subject = template.subject(data);
  const blocks = template.body(data, context);
  const text = [...blocks.map((b) => (typeof b === 'string' ? b : `${b.label}: ${b.href}`)), '— MotoPartPicker'].join('\n\n');
  const paragraphs = blocks.map((b) =>
    typeof b === 'string' ? `<p>${escapeHtml(b)}</p>` : `<p><a href="${escapeHtml(b.href)}">${escapeHtml(b.label)}</a></p>`,
  );
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; line-height: 1.5; max-width: 560px;">',
    ...paragraphs,
    '<p style="color: #666;">— MotoPartPicker</p>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
