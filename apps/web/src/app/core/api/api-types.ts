/**
 * Response shapes of the HTTP API, mirroring DESIGN §6 as apps/api answers it (checked against the
 * real API by e2e/full-stack.e2e-spec.ts). docs/web.md lists the shapes §6 names but does not spell out.
 */

export type CompatibilityStatus = 'verified' | 'community' | 'disputed' | 'no_data';

export const COMPATIBILITY_STATUSES: readonly CompatibilityStatus[] = [
  'verified',
  'community',
  'disputed',
  'no_data',
];

export interface Bike {
  id: string;
  slug: string;
  year: number;
  make: string;
  model: string;
  trim: string | null;
  engineCc: number | null;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

/** GET /api/bikes/options?year&make */
export interface BikeOptions {
  years: number[];
  makes: string[];
  models: string[];
}

export interface PartSummary {
  id: string;
  slug: string;
  sku: string;
  brand: string;
  name: string;
  category: string;
  description?: string | null;
}

export interface RetailerRef {
  id: string;
  name: string;
}

/** One row of GET /api/prices/:partId; also the shape of `bestPrice`. */
export interface RetailerPrice {
  retailer: RetailerRef;
  priceCents: number;
  currency: string;
  inStock: boolean;
  url: string;
  observedAt: string;
  stale: boolean;
}

export interface FacetValue {
  value: string;
  count: number;
}

/** Keyed by facet name: category, brand, status. */
export type Facets = Partial<Record<string, FacetValue[]>>;

/** GET /api/bikes/:idOrSlug/parts */
export interface BikeParts {
  bike: Bike;
  /** The region the answer was ranked for, and its currency (every `bestPrice` is in it). */
  region?: string;
  currency?: string;
  items: BikePartRow[];
  facets: Facets;
  total: number;
  page?: number;
  limit?: number;
}

export interface BikePartRow {
  part: PartSummary;
  status: CompatibilityStatus;
  confirmations: number;
  refutations: number;
  /** The best offer in the region's currency; null when the part has none in it. */
  bestPrice: RetailerPrice | null;
  /** The best offer in each other currency, shown apart and never ranked against `bestPrice`. */
  otherPrices?: RetailerPrice[];
}

/** GET /api/parts/:idOrSlug: part detail with current prices and fitment summary. */
export interface PartDetail extends PartSummary {
  attributes?: Record<string, string | number | boolean> | null;
  region?: string;
  currency?: string;
  /** The best offer in the region's currency, or null. */
  bestPrice?: RetailerPrice | null;
  prices: RetailerPrice[];
  fitment: PartFitment[];
}

export interface PartFitment {
  bike: Bike;
  status: CompatibilityStatus;
  confirmations: number;
  refutations: number;
}

/** GET /api/parts/:idOrSlug/compatibility?bikeId */
export interface PartCompatibility {
  partId: string;
  bikeId: string;
  status: CompatibilityStatus;
  confirmations: number;
  refutations: number;
  officialSource?: string | null;
}

/** GET /api/verifications/mine?partId: the signed-in rider's own rows (only `active` can be retracted). */
export interface MyVerifications {
  items: { verificationId: string; bikeId: string; lifecycle: string }[];
}

export type VerificationState = 'active' | 'superseded' | 'retracted' | 'hidden';

/** GET /api/parts/:idOrSlug/verifications */
export interface VerificationAudit {
  items: VerificationAuditEntry[];
  chainValid: boolean;
  chains?: ChainCheck[];
}

export interface VerificationAuditEntry {
  verificationId: string;
  bikeId: string;
  fits: boolean;
  notes: string | null;
  contributor: { displayName: string };
  submittedAt: string;
  state: VerificationState | string;
  eventId: string;
  position: string | number;
  /** Null only for a log row written before the chain existed; the web then shows no hash. */
  hash: string | null;
  prevHash: string | null;
}

/** The chain check of one fitment stream (part x bike) behind `chainValid`. */
export interface ChainCheck {
  bikeId: string;
  valid: boolean;
  lastHash?: string | null;
  eventCount?: number;
}

/** GET /api/verifications/recent?limit: newest active verifications across the catalog. */
export interface RecentVerifications {
  items: RecentVerification[];
}

export interface RecentVerification {
  verificationId: string;
  fits: boolean;
  submittedAt: string;
  contributor: { displayName: string };
  part: Pick<PartSummary, 'id' | 'slug' | 'brand' | 'name' | 'category'>;
  bike: Pick<Bike, 'id' | 'slug' | 'year' | 'make' | 'model' | 'trim'>;
}

/** POST /api/verifications */
export interface SubmitVerification {
  partId: string;
  bikeId: string;
  fits: boolean;
  notes?: string;
}

/** Every command answers with the position of its last event (read-your-writes, DESIGN §5). */
export interface CommandAccepted {
  position: string | number;
}

export interface VerificationAccepted extends CommandAccepted {
  verificationId: string;
  eventId: string;
}

/** GET /api/prices/:partId/history: daily minimum price per retailer. */
export interface PriceHistory {
  region?: string;
  currency?: string;
  /** The currencies drawn, the region's first: one axis (chart) each. */
  currencies?: string[];
  items: PriceHistoryPoint[];
}

export interface PriceHistoryPoint {
  retailerId: string;
  day: string;
  priceCents: number;
  currency: string;
}

/** GET /api/search */
export interface SearchResults {
  region?: string;
  currency?: string;
  hits: SearchHit[];
  facets: Facets;
  total: number;
  engine: string;
  page?: number;
  limit?: number;
}

export interface SearchHit {
  id: string;
  slug: string;
  sku?: string;
  brand: string;
  name: string;
  category: string;
  description?: string | null;
  /** In the region's currency; null (and `currency` null) when the part has no offer in it. */
  bestPriceCents?: number | null;
  currency?: string | null;
  otherPrices?: { currency: string; priceCents: number }[];
  /** The pair's status when the query names a bikeId, else null. */
  status?: CompatibilityStatus | null;
  confirmations?: number;
  refutations?: number;
}

export type BuildVisibility = 'private' | 'unlisted' | 'public';

export interface BuildPartLine {
  part: PartSummary;
  quantity: number;
  note?: string | null;
  /** In the region's currency; null when the part has no offer in it (then it is not in the total). */
  bestPrice?: RetailerPrice | null;
  otherPrices?: RetailerPrice[];
  status?: CompatibilityStatus;
}

/** `part_not_known_to_fit` or `single_slot_conflict` (which also names the category). */
export interface BuildWarning {
  code: string;
  message: string;
  partIds?: string[];
  category?: string;
}

export interface MoneyTotal {
  amountCents: number;
  currency: string;
}

/** GET /api/builds/:id */
export interface Build {
  id: string;
  name: string;
  ownerId: string;
  owner?: { displayName: string } | null;
  bike: Bike;
  visibility: BuildVisibility;
  revision: number;
  parts: BuildPartLine[];
  warnings: BuildWarning[];
  region?: string;
  /** The total: one amount in the region's currency. */
  totalPriceCents: number;
  currency: string | null;
  /** Kept for older answers; the API now sends exactly the one total. */
  totals?: MoneyTotal[];
  /** Parts without an offer in the region's currency: left out of the total. */
  unpricedPartIds?: string[];
  createdAt?: string;
  updatedAt?: string;
}

/** GET /api/builds (the signed-in user's builds) */
export interface BuildSummary {
  id: string;
  name: string;
  bike: Bike;
  visibility: BuildVisibility;
  revision: number;
  partCount?: number;
  totalPriceCents?: number;
  currency?: string | null;
  totals?: MoneyTotal[];
  /** Lines with no offer in the region's currency (left out of the total). */
  unpricedPartCount?: number;
  /** How many warnings the build has (the full messages are on its page). */
  warnings?: number;
  updatedAt?: string;
}

export interface BuildDraft {
  name: string;
  bikeId: string;
  visibility: BuildVisibility;
  parts: { partId: string; quantity: number; note?: string }[];
}

export interface BuildCreated extends CommandAccepted {
  id: string;
  revision: number;
}

export type Plan = 'free' | 'pro';
export type Role = 'user' | 'moderator' | 'admin';

/** GET /api/me */
export interface Me {
  id: string;
  /** The API does not echo the email back (apps/api me.view). */
  email?: string;
  displayName: string;
  role: Role;
  plan: Plan | string;
  csrfToken: string;
  emailPreferences?: EmailPreferences;
}

/** PUT /api/me/preferences (not in DESIGN §6; implemented by the API): only the opt-in digest so far. */
export interface EmailPreferences {
  weeklyDigest: boolean;
}

/** POST /auth/dev-login */
export interface DevLogin {
  email: string;
  displayName: string;
  role?: Role;
}

/** GET /auth/providers: the sign-in methods this API offers. */
export interface SignInProviders {
  google: boolean;
  devLogin: boolean;
}

/** POST /api/billing/checkout and /api/billing/portal */
export interface BillingRedirect {
  url: string;
}

/** RFC 9457 problem+json, with `errors[]` for field errors. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field?: string; path?: string; message: string }[];
}
