import { v5 as uuidv5 } from 'uuid';
import { bikeIdentityKey, normaliseSku, retailerIdentityKey } from './identity-keys.js';
import type { BikeNaming } from './slugs.js';

/**
 * The one UUID v5 namespace of the project, itself v5("https://motopartpicker.dev/ids", URL namespace).
 * Every deterministic id below is v5(<kind>:<key>, this), so imports and price jobs can be re-run
 * and produce the same ids. Never change it.
 */
export const MPP_ID_NAMESPACE = 'b39c140e-c564-5ada-bd30-05001fcd16aa';

export function bikeIdFor(year: number, make: string, model: string, trim?: string): string {
  const naming: BikeNaming = { year, make, model, trim };
  return uuidv5(`bike:${bikeIdentityKey(naming)}`, MPP_ID_NAMESPACE);
}

export function partIdFor(sku: string): string {
  return uuidv5(`part:${normaliseSku(sku)}`, MPP_ID_NAMESPACE);
}

export function retailerIdFor(name: string): string {
  return uuidv5(`retailer:${retailerIdentityKey(name)}`, MPP_ID_NAMESPACE);
}

/** The UTC hour an instant falls in, as `YYYY-MM-DDTHH:00:00.000Z`. Throws RangeError on an unparseable instant. */
export function hourOf(instant: string): string {
  const millis = Date.parse(instant);
  if (Number.isNaN(millis)) throw new RangeError(`not an ISO-8601 instant: ${instant}`);
  const hour = new Date(millis);
  hour.setUTCMinutes(0, 0, 0);
  return hour.toISOString();
}

/**
 * Event id of a PriceObserved: one per (part, retailer, UTC hour), so a re-run price job appends nothing new.
 * Offsets are honoured: 10:30+02:00 and 08:59Z are the same hour.
 */
export function priceObservationEventId(partId: string, retailerId: string, observedAt: string): string {
  return uuidv5(`price-observation:${partId}:${retailerId}:${hourOf(observedAt)}`, MPP_ID_NAMESPACE);
}

/**
 * An id derived from a client's idempotency key and its scope, e.g.
 * `commandEventId('submit-verification', userId, idempotencyKey)` for the verification id of a
 * `POST /api/verifications` retried with the same `Idempotency-Key`. The parts are JSON-encoded
 * so ('a:b', 'c') and ('a', 'b:c') never collide.
 */
export function commandEventId(scope: string, ...parts: readonly (string | number)[]): string {
  return uuidv5(`command:${JSON.stringify([scope, ...parts])}`, MPP_ID_NAMESPACE);
}
