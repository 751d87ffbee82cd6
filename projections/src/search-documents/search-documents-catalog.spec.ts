import { describe, expect, it } from '@jest/globals';
import { foldCatalog, slugCandidates, type CatalogEvent, type StoredDocument } from './search-documents-catalog.js';

const PART = '5b0a3c9e-6f1d-4c43-9a52-1f7e2b8d4a10';
const TWIN = 'c2f1e7a4-0b6d-4e59-8f3a-7d2c9b1e5a64';
const OTHER = '0e8d4b2a-9c7f-4a13-b5e6-2f1a3c4d5e6f';

const fields = { brand: 'Puig', name: 'Touring Screen', category: 'windscreens', description: null };
const cataloged = (partId: string, sku: string, overrides: Partial<typeof fields> = {}): CatalogEvent => ({ kind: 'cataloged', partId, sku, ...fields, ...overrides });
const stored = (partId: string, slug: string, overrides: Partial<StoredDocument> = {}): StoredDocument => ({ partId, slug, ...fields, ...overrides });

describe('folding catalog events for search', () => {
  it('gives the first part its {brand}-{name} slug and a twin cataloged later in the same batch its SKU slug', () => {
    const changes = foldCatalog([], [cataloged(PART, 'PU-1'), cataloged(TWIN, 'PU-2')]);
    expect([...changes.cataloged.values()].map((document) => document.slug)).toEqual(['puig-touring-screen', 'puig-touring-screen-pu-2']);
  });

  it('sees the slugs of stored documents', () => {
    const changes = foldCatalog([stored(OTHER, 'puig-touring-screen')], [cataloged(PART, 'PU-1')]);
    expect(changes.cataloged.get(PART)?.slug).toBe('puig-touring-screen-pu-1');
  });

  it('ignores a part cataloged again, in the batch or before it, and keeps its slug free for itself', () => {
    const again = foldCatalog([stored(PART, 'puig-touring-screen')], [cataloged(PART, 'PU-1', { name: 'Renamed' })]);
    expect(again).toEqual({ cataloged: new Map(), revised: new Map(), replaced: [] });

    const twice = foldCatalog([], [cataloged(PART, 'PU-1'), cataloged(PART, 'PU-1', { name: 'Renamed' })]);
    expect([...twice.cataloged.values()]).toEqual([{ partId: PART, slug: 'puig-touring-screen', sku: 'PU-1', ...fields }]);
  });

  it('fails when another part holds every candidate slug, even for a part cataloged again', () => {
    const holders = slugCandidates({ ...fields, sku: 'PU-1' }).map((slug, i) => stored(`${OTHER.slice(0, -2)}${String(i).padStart(2, '0')}`, slug));
    expect(() => foldCatalog(holders, [cataloged(PART, 'PU-1')])).toThrow(/no free slug for part/);
    expect(() => foldCatalog([...holders, stored(PART, 'elsewhere')], [cataloged(PART, 'PU-1')])).toThrow(/no free slug for part/);
  });

  it('applies revisions over the stored fields, and remembers the states a later revision of the batch replaced', () => {
    const changes = foldCatalog(
      [stored(PART, 'puig-touring-screen', { description: 'Smoked' })],
      [
        { kind: 'revised', partId: PART, changes: { name: 'Racing Screen' } },
        { kind: 'revised', partId: PART, changes: { category: 'fairings', description: 'Clear' } },
      ],
    );
    expect(changes.revised.get(PART)).toEqual({ brand: 'Puig', name: 'Racing Screen', category: 'fairings', description: 'Clear' });
    // The stored state's words are in the vocabulary already; the intermediate one's are not.
    expect(changes.replaced).toEqual([{ brand: 'Puig', name: 'Racing Screen', category: 'windscreens', description: 'Smoked' }]);
  });

  it('writes a part cataloged and revised in one batch once, with its revised fields, keeping the slug of its first name', () => {
    const changes = foldCatalog([], [cataloged(PART, 'PU-1'), { kind: 'revised', partId: PART, changes: { name: 'Racing Screen' } }]);
    expect([...changes.cataloged.values()]).toEqual([{ partId: PART, slug: 'puig-touring-screen', sku: 'PU-1', ...fields, name: 'Racing Screen' }]);
    expect(changes.revised).toEqual(new Map());
    expect(changes.replaced).toEqual([fields]);
  });

  it('fails on a revision of a part not cataloged yet, even if the batch catalogs it later', () => {
    expect(() => foldCatalog([], [{ kind: 'revised', partId: PART, changes: { name: 'Racing Screen' } }, cataloged(PART, 'PU-1')])).toThrow(
      `PartDetailsRevised for part ${PART}, which was never cataloged`,
    );
  });
});
