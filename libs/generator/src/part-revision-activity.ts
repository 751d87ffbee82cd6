import { partStream } from '@mpp/domain';
import type { CatalogUniverse } from './catalog-universe.js';
import type { Fact } from './generated-event.js';
import type { SeededRandom } from './seeded-random.js';
import { MATERIALS, VARIANTS } from './vocabulary.js';

/** Catalog maintenance: popular parts get their description, attributes or name corrected. */
export class PartRevisionActivity {
  /** Stream revision of each revised part (a part stream starts with PartCataloged at 0). */
  private readonly revisions = new Map<number, number>();

  constructor(private readonly universe: CatalogUniverse) {}

  next(random: SeededRandom): Fact {
    const part = this.universe.partPopularity.sample(random);
    const revision = (this.revisions.get(part) ?? 0) + 1;
    this.revisions.set(part, revision);
    const spec = this.universe.part(part);
    const roll = random.next();
    const change =
      roll < 0.5 ? { description: `${spec.brand} ${spec.name}, revision ${revision}: fitting instructions updated.` } :
      roll < 0.85 ? { attributes: { material: random.pick(MATERIALS), weightGrams: random.between(20, 9_000), eMarked: random.chance(0.5) } } :
      { name: `${spec.name} ${random.pick(VARIANTS)} Edition` };
    return { stream: partStream(spec.partId), revision, type: 'PartDetailsRevised', data: { partId: spec.partId, ...change }, actor: 'system:catalog-import' };
  }
}
