import { partSlug, partSlugWithSku } from '@mpp/domain';

/** The part's own fields of a search document. */
export interface DocumentFields {
  brand: string;
  name: string;
  category: string;
  description: string | null;
}

/** A document as stored: its fields and its slug. */
export interface StoredDocument extends DocumentFields {
  partId: string;
  slug: string;
}

/** A PartCataloged or a PartDetailsRevised that changes at least one field of the document (ids in lower case). */
export type CatalogEvent =
  | ({ kind: 'cataloged'; partId: string; sku: string } & DocumentFields)
  | { kind: 'revised'; partId: string; changes: Partial<DocumentFields> };

export interface CatalogChanges {
  /** Parts first cataloged in the batch, keyed by part id: their slug, and their fields after the batch's revisions. */
  cataloged: Map<string, StoredDocument & { sku: string }>;
  /** Stored documents the batch revised, keyed by part id: their fields after the batch. */
  revised: Map<string, DocumentFields>;
  /** Fields a document had during the batch before a later revision of the same batch replaced them. */
  replaced: DocumentFields[];
}

const NUMBERED_SLUG_ATTEMPTS = 8;

/** The slugs a part may get, in order of preference: `{brand}-{name}`, then with its SKU, then numbered. */
export function slugCandidates(part: { brand: string; name: string; sku: string }): string[] {
  const base = partSlug(part) || 'part';
  const withSku = partSlugWithSku(base, part.sku);
  return [base, withSku, ...Array.from({ length: NUMBERED_SLUG_ATTEMPTS }, (_, i) => `${withSku}-${i + 2}`)];
}

/**
 * Folds a batch's catalog events into the stored documents, as one event at a time would: the
 * first PartCataloged of a part creates its document with the first candidate slug no other part
 * holds (stored, or taken earlier in the batch); a later one changes nothing, though it fails the
 * same way when every candidate is taken; a revision of a part not cataloged yet fails.
 *
 * `stored` must hold the stored documents of the events' parts and of every candidate slug.
 */
export function foldCatalog(stored: readonly StoredDocument[], events: readonly CatalogEvent[]): CatalogChanges {
  const fieldsOf = new Map<string, DocumentFields>(stored.map((document) => [document.partId, fieldsIn(document)]));
  const slugOwners = new Map(stored.map((document) => [document.slug, document.partId]));
  /** Parts whose current fields were written by this batch (so earlier states may still be unseen by the vocabulary). */
  const writtenInBatch = new Set<string>();
  const changes: CatalogChanges = { cataloged: new Map(), revised: new Map(), replaced: [] };

  for (const event of events) {
    const { partId } = event;
    if (event.kind === 'cataloged') {
      const candidates = slugCandidates(event);
      const slug = candidates.find((candidate) => (slugOwners.get(candidate) ?? partId) === partId);
      if (slug === undefined) throw new Error(`no free slug for part ${partId} among ${candidates.join(', ')}`);
      if (fieldsOf.has(partId)) continue;
      const fields = fieldsIn(event);
      fieldsOf.set(partId, fields);
      slugOwners.set(slug, partId);
      writtenInBatch.add(partId);
      changes.cataloged.set(partId, { partId, slug, sku: event.sku, ...fields });
      continue;
    }
    const held = fieldsOf.get(partId);
    if (held === undefined) throw new Error(`PartDetailsRevised for part ${partId}, which was never cataloged`);
    if (writtenInBatch.has(partId)) changes.replaced.push(held);
    const fields = { ...held, ...event.changes };
    fieldsOf.set(partId, fields);
    writtenInBatch.add(partId);
    const cataloged = changes.cataloged.get(partId);
    if (cataloged === undefined) changes.revised.set(partId, fields);
    else changes.cataloged.set(partId, { ...cataloged, ...fields });
  }
  return changes;
}

function fieldsIn({ brand, name, category, description }: DocumentFields): DocumentFields {
  return { brand, name, category, description };
}
