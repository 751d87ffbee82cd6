import { Inject, Injectable } from '@nestjs/common';
import { NotFound } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';
import { idOrSlugColumn, type PartRow } from '../read-models/read-model-views.js';
import { PARTS } from '@mpp/projections';

export const PART_COLUMNS = ['id', 'slug', 'sku', 'brand', 'name', 'category', 'description'];

@Injectable()
export class PartLookup {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async byIdOrSlug(idOrSlug: string): Promise<PartRow> {
    const row: PartRow | undefined = await this.knex(PARTS).where(idOrSlugColumn(idOrSlug), idOrSlug.toLowerCase()).first(PART_COLUMNS);
    if (!row) throw new NotFound('part', idOrSlug);
    return row;
  }
}
