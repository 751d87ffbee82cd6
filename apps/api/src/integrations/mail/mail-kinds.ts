import type { ReceiptMailData } from '@mpp/projections';
/**
 * The mails the product sends and the data each template needs. Template data is stored in the
 * outbox, so it holds ids and catalogue names only: never an email address, and never a person's
 * name (a sharer is a user id, resolved to a display name when the mail is rendered).
 */
export interface MailData {
  /** Queued by the verification-receipts reactor in the projector (projections/src/reactors). */
  'verification-received': ReceiptMailData;
  'build-shared': {
    buildId: string;
    buildName: string;
    sharedByUserId: string;
  };
  'weekly-digest': {
    periodStart: string;
    periodEnd: string;
    newVerifications: number;
    priceDrops: { partId: string; partName: string; retailerName: string; priceCents: number; currency: string; partSlug?: string }[];
  };
  'price-drop-alert': {
    partId: string;
    partName: string;
    retailerName: string;
    priceCents: number;
    currency: string;
    targetPriceCents: number;
    partSlug?: string;
  };
}

export type MailKind = keyof MailData;
export const MAIL_KINDS: readonly MailKind[] = ['verification-received', 'build-shared', 'weekly-digest', 'price-drop-alert'];

/** A user of ours (the address is looked up when sending), or an address that belongs to no account. */
export type Recipient = { userId: string } | { email: string };

export type MailRequest = {
  [K in MailKind]: {
    kind: K;
    to: Recipient;
    data: MailData[K];
    /** Makes enqueueing idempotent, e.g. `weekly-digest:{userId}:{week}`; a second enqueue is a no-op. */
    dedupeKey?: string;
  };
}[MailKind];
