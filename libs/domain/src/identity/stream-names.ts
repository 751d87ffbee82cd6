/**
 * Stream names of DESIGN §3. Ids are UUIDs, so they contain `-` but never `_`: the kind is what
 * precedes the first `-`, and the two ids of a pair stream are split at the `_`.
 */
export const STREAM_KINDS = ['bike', 'part', 'retailer', 'fitment', 'price', 'build', 'rider'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

export const bikeStream = (bikeId: string): string => `bike-${bikeId}`;
export const partStream = (partId: string): string => `part-${partId}`;
export const retailerStream = (retailerId: string): string => `retailer-${retailerId}`;
export const fitmentStream = (partId: string, bikeId: string): string => `fitment-${partId}_${bikeId}`;
export const priceStream = (partId: string, retailerId: string): string => `price-${partId}_${retailerId}`;
export const buildStream = (buildId: string): string => `build-${buildId}`;
/** A signed-in rider's own choices (region, garage bike); user ids are opaque and never contain `_`. */
export const riderStream = (userId: string): string => `rider-${userId}`;

export type ParsedStreamName =
  | { kind: 'bike'; bikeId: string }
  | { kind: 'part'; partId: string }
  | { kind: 'retailer'; retailerId: string }
  | { kind: 'fitment'; partId: string; bikeId: string }
  | { kind: 'price'; partId: string; retailerId: string }
  | { kind: 'build'; buildId: string }
  | { kind: 'rider'; userId: string };

/** Returns undefined for a name that is not one of ours (e.g. a store's system stream). */
export function parseStreamName(stream: string): ParsedStreamName | undefined {
  const dash = stream.indexOf('-');
  if (dash <= 0) return undefined;
  const kind = stream.slice(0, dash);
  const rest = stream.slice(dash + 1);
  if (rest === '') return undefined;
  const pair = rest.split('_');
  const [first, second] = pair;
  const isPair = pair.length === 2 && first !== '' && second !== '';
  switch (kind) {
    case 'bike':
      return rest.includes('_') ? undefined : { kind, bikeId: rest };
    case 'part':
      return rest.includes('_') ? undefined : { kind, partId: rest };
    case 'retailer':
      return rest.includes('_') ? undefined : { kind, retailerId: rest };
    case 'build':
      return rest.includes('_') ? undefined : { kind, buildId: rest };
    case 'rider':
      return rest.includes('_') ? undefined : { kind, userId: rest };
    case 'fitment':
      return isPair ? { kind, partId: first!, bikeId: second! } : undefined;
    case 'price':
      return isPair ? { kind, partId: first!, retailerId: second! } : undefined;
    default:
      return undefined;
  }
}

export function streamKindOf(stream: string): StreamKind | undefined {
  return parseStreamName(stream)?.kind;
}

export function isFitmentStream(stream: string): boolean {
  return streamKindOf(stream) === 'fitment';
}
