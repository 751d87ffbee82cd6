import type { RecordedEvent } from '@mpp/event-store';
import { bikeSlug, partSlug, partSlugWithSku, type EventData } from '@mpp/domain';
import { dataOf, occurredAt } from '../shared/recorded-event.js';

/**
 * The catalog projection's handlers as a pure fold over a page of events, for its bulk form: what
 * the handlers would leave, as a few multi-row writes. It needs from the tables only what the
 * handlers would have read: which revised parts exist, and which slug candidates other parts hold.
 */

/** A row of `bikes` as the projection writes it; the API reads its columns by this type too. */
export interface BikeRow {
  id: string;
  slug: string;
  year: number;
  make: string;
  model: string;
  trim: string | null;
  engine_cc: number | null;
  registered_at: string;
}

/** A row of `parts` as the projection writes it; the API reads its columns by this type too. */
export interface PartRow {
  id: string;
  slug: string;
  sku: string;
  brand: string;
  name: string;
  category: string;
  description: string | null;
  /** JSON text, as the handler writes it. */
  attributes: string;
  cataloged_at: string;
  revised_at: string;
}

export interface RetailerRow {
  id: string;
  name: string;
  base_url: string;
  affiliate_program: string | null;
  registered_at: string;
}

/** A revision of a part already in the table: the fields it sets (absent = unchanged) and when. */
export interface PartPatch {
  id: string;
  fields: Partial<Pick<PartRow, 'brand' | 'name' | 'category' | 'description'>> & { attributes?: unknown };
  revised_at: string;
}

/** What the tables hold that the fold must know. */
export interface CatalogKnown {
  /** Ids (lower case) of parts already in the table among those the page revises or catalogs. */
  existingParts: ReadonlySet<string>;
  /** Slug -> id (lower case) of parts already holding one of the page's slug candidates. */
  slugOwners: ReadonlyMap<string, string>;
}

export interface CatalogWrites {
  /** First registration per id, in log order; `ON CONFLICT (id) DO NOTHING` keeps rows already there. */
  bikes: BikeRow[];
  retailers: RetailerRow[];
  /** Parts new to the table, with the page's revisions of them applied. */
  parts: PartRow[];
  /** Revisions of parts already in the table, folded per part. */
  patches: PartPatch[];
}

/** `skip`: a revision of a part never cataloged is left out (bike-listings); `throw`: it fails, as the handler does. */
export type UnknownRevision = 'throw' | 'skip';

/** Beyond `{base}-{sku}` a numbered suffix; only reachable when names and skus collide by construction. */
const NUMBERED_SLUG_ATTEMPTS = 8;

/** The slugs a part may get, in order of preference (`freePartSlug` takes the first no other part holds). */
export function partSlugCandidates(part: { brand: string; name: string; sku: string }): string[] {
  // A brand and name without a single Latin letter or digit slugify to nothing; the sku then carries the slug.
  const base = partSlug(part) || 'part';
  const withSku = partSlugWithSku(base, part.sku);
  return [base, withSku, ...Array.from({ length: NUMBERED_SLUG_ATTEMPTS }, (_, i) => `${withSku}-${i + 2}`)];
}

/** The first candidate no other part holds. */
export function freeSlugAmong(part: { partId: string }, candidates: readonly string[], ownerOf: (slug: string) => string | undefined): string {
  const free = candidates.find((slug) => {
    const owner = ownerOf(slug);
    return owner === undefined || owner === part.partId.toLowerCase();
  });
  if (free === undefined) throw new Error(`no free slug for part ${part.partId} among ${candidates.join(', ')}`);
  return free;
}

export function bikeRowOf(event: RecordedEvent): BikeRow {
  const bike = dataOf(event, 'BikeRegistered');
  return {
    id: bike.bikeId,
    slug: bikeSlug(bike),
    year: bike.year,
    make: bike.make,
    model: bike.model,
    trim: bike.trim ?? null,
    engine_cc: bike.engineCc ?? null,
    registered_at: occurredAt(event).toISOString(),
  };
}

export function retailerRowOf(event: RecordedEvent): RetailerRow {
  const retailer = dataOf(event, 'RetailerRegistered');
  return {
    id: retailer.retailerId,
    name: retailer.name,
    base_url: retailer.baseUrl,
    affiliate_program: retailer.affiliateProgram ?? null,
    registered_at: occurredAt(event).toISOString(),
  };
}

export function partRowOf(event: RecordedEvent, slug: string): PartRow {
  const part = dataOf(event, 'PartCataloged');
  return {
    id: part.partId,
    slug,
    sku: part.sku,
    brand: part.brand,
    name: part.name,
    category: part.category,
    description: part.description ?? null,
    attributes: JSON.stringify(part.attributes ?? {}),
    cataloged_at: occurredAt(event).toISOString(),
    revised_at: occurredAt(event).toISOString(),
  };
}

/** Absent fields mean "unchanged" (the decider only sends what changed); the slug stays. */
export function revisedFields(revision: EventData<'PartDetailsRevised'>): PartPatch['fields'] {
  const { brand, name, category, description, attributes } = revision;
  return {
    ...(brand === undefined ? {} : { brand }),
    ...(name === undefined ? {} : { name }),
    ...(category === undefined ? {} : { category }),
    ...(description === undefined ? {} : { description }),
    ...(attributes === undefined ? {} : { attributes }),
  };
}

/** The ids (lower case) and slug candidates the fold asks the tables about. */
export function catalogLookups(events: readonly RecordedEvent[]): { partIds: string[]; slugCandidates: string[] } {
  const partIds = new Set<string>();
  const slugCandidates = new Set<string>();
  for (const event of events) {
    if (event.type === 'PartCataloged') {
      const part = dataOf(event, 'PartCataloged');
      partIds.add(part.partId.toLowerCase());
      for (const slug of partSlugCandidates(part)) slugCandidates.add(slug);
    } else if (event.type === 'PartDetailsRevised') {
      partIds.add(dataOf(event, 'PartDetailsRevised').partId.toLowerCase());
    }
  }
  return { partIds: [...partIds], slugCandidates: [...slugCandidates] };
}

/** The page folded in log order, as the handlers one event at a time would leave the tables. */
export function foldCatalog(events: readonly RecordedEvent[], known: CatalogKnown, unknownRevision: UnknownRevision): CatalogWrites {
  const bikes = new Map<string, BikeRow>();
  const retailers = new Map<string, RetailerRow>();
  const parts = new Map<string, PartRow>();
  const patches = new Map<string, PartPatch>();
  const slugOwners = new Map(known.slugOwners);
  for (const event of events) {
    switch (event.type) {
      case 'BikeRegistered': {
        const row = bikeRowOf(event);
        if (!bikes.has(row.id.toLowerCase())) bikes.set(row.id.toLowerCase(), row);
        break;
      }
      case 'RetailerRegistered': {
        const row = retailerRowOf(event);
        if (!retailers.has(row.id.toLowerCase())) retailers.set(row.id.toLowerCase(), row);
        break;
      }
      case 'PartCataloged': {
        const part = dataOf(event, 'PartCataloged');
        const id = part.partId.toLowerCase();
        // The handler picks a slug even for a retry it then ignores, and fails the same way when none is free.
        const slug = freeSlugAmong(part, partSlugCandidates(part), (candidate) => slugOwners.get(candidate));
        if (known.existingParts.has(id) || parts.has(id)) break;
        parts.set(id, partRowOf(event, slug));
        slugOwners.set(slug, id);
        break;
      }
      case 'PartDetailsRevised': {
        const revision = dataOf(event, 'PartDetailsRevised');
        const id = revision.partId.toLowerCase();
        const fields = revisedFields(revision);
        const revisedAt = occurredAt(event).toISOString();
        const fresh = parts.get(id);
        if (fresh) {
          const { attributes, ...plain } = fields;
          parts.set(id, { ...fresh, ...plain, ...(attributes === undefined ? {} : { attributes: JSON.stringify(attributes) }), revised_at: revisedAt });
        } else if (known.existingParts.has(id)) {
          const held = patches.get(id);
          patches.set(id, { id: revision.partId, fields: { ...held?.fields, ...fields }, revised_at: revisedAt });
        } else if (unknownRevision === 'throw') {
          throw new Error(`PartDetailsRevised for part ${revision.partId}, which was never cataloged`);
        }
        break;
      }
    }
  }
  return { bikes: [...bikes.values()], retailers: [...retailers.values()], parts: [...parts.values()], patches: [...patches.values()] };
}
