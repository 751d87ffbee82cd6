/**
 * The web's names for the HTTP API's shapes. Every type comes from the API's OpenAPI document
 * (apps/api/openapi.json) through api-schema.generated.ts, which the web build regenerates: a change
 * of the API that the web does not follow fails the web's type check instead of a page at run time.
 */
import type { components } from './api-schema.generated';

type Schemas = components['schemas'];

export type Bike = Schemas['Bike'];
export type BikePage = Schemas['BikePage'];
export type BikeOptions = Schemas['BikeOptions'];
export type BikeParts = Schemas['BikeParts'];
export type BikePartRow = Schemas['BikePartRow'];
export type PartSummary = Schemas['PartSummary'];
export type PartDetail = Schemas['PartDetail'];
export type PartFitment = Schemas['PartFitment'];
export type PartCompatibility = Schemas['PartCompatibility'];
export type RetailerRef = Schemas['RetailerRef'];
/** One row of GET /api/prices/:partId; also the shape of `bestPrice`. */
export type RetailerPrice = Schemas['RetailerPrice'];
export type FacetValue = Schemas['FacetValue'];
export type Facets = Schemas['Facets'];
export type CompatibilityStatus = BikePartRow['status'];

export type VerificationAudit = Schemas['VerificationAudit'];
export type VerificationAuditEntry = Schemas['VerificationAuditEntry'];
export type ChainCheck = Schemas['ChainCheck'];
export type RecentVerifications = Schemas['RecentVerifications'];
export type RecentVerification = Schemas['RecentVerification'];
export type HiddenVerifications = Schemas['HiddenVerifications'];
export type HiddenVerification = Schemas['HiddenVerification'];
/** GET /api/verifications/mine?partId: the signed-in rider's own rows (only `active` can be retracted). */
export type MyVerifications = Schemas['MyVerifications'];
export type SubmitVerification = Schemas['SubmitVerificationDto'];
export type VerificationAccepted = Schemas['VerificationCommandResponse'];

export type PriceHistory = Schemas['PriceHistory'];
export type PriceHistoryPoint = Schemas['PriceHistoryPoint'];

export type SearchResults = Schemas['SearchResults'];
export type SearchHit = Schemas['SearchHit'];

export type Build = Schemas['Build'];
export type BuildSummary = Schemas['BuildSummary'];
export type BuildPartLine = Schemas['BuildPartLine'];
/** `part_not_known_to_fit` or `single_slot_conflict` (which also names the category). */
export type BuildWarning = Schemas['BuildWarning'];
export type BuildVisibility = Build['visibility'];
export type MoneyTotal = Schemas['MoneyTotal'];
/** POST /api/builds */
export type NewBuild = Schemas['CreateBuildDto'];
/** What the build editor holds and PUTs: every field set but the bike, which a build whose bike left the catalog cannot name. */
export type BuildDraft = Required<Omit<Schemas['UpdateBuildDto'], 'bikeId'>> & Pick<Schemas['UpdateBuildDto'], 'bikeId'>;
/** POST /api/builds and PUT /api/builds/:id: the new revision, to send as If-Match next time. */
export type BuildCreated = Schemas['BuildCommandResponse'];
export type BuildDeleted = Schemas['BuildDeleted'];

export type Me = Schemas['Me'];
export type Plan = Me['plan'];
export type Role = Me['role'];
export type EmailPreferences = Schemas['EmailPreferences'];
export type DevLogin = Schemas['DevLoginDto'];
export type SignInProviders = Schemas['SignInProviders'];
export type BillingRedirect = Schemas['BillingRedirect'];
export type ProPlanPrice = Schemas['ProPlanPrice'];
/** `region` as the web holds it (a code from the shared list, which the API validates). */
export type RiderPreferencesChange = Omit<Schemas['RiderPreferencesDto'], 'region'> & { region?: string };
export type RiderPreferences = Schemas['RiderPreferencesChangeResult'];

/** RFC 9457 problem+json, with `errors[]` naming the fields of a rejected request. */
export type Problem = Schemas['ProblemDetails'];

/** The statuses in the order filters list them (the values themselves come from the API's enum). */
export const COMPATIBILITY_STATUSES: readonly CompatibilityStatus[] = ['verified', 'community', 'disputed', 'no_data'];
