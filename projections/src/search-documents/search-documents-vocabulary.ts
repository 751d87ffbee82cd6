import type { ProjectionContext } from '@mpp/projection-runner';
import { SEARCH_BIKES as BIKES, SEARCH_DOCUMENTS as DOCUMENTS, SEARCH_FITMENT as FITMENT, SEARCH_VOCABULARY as VOCABULARY } from './search-documents.tables.js';

/** The words of bike `b`'s label. */
export const LABEL_WORDS = `public.search_vocabulary_words(NULL, NULL, NULL, jsonb_build_array(jsonb_build_object('label', b.label)), NULL)`;

/**
 * The end of a bulk catch-up: the words of every label that joined a cataloged part. A bike keeps
 * the label it was first registered with, and neither pairs nor documents go away, so a label that
 * joined one at any point of the catch-up still has one now: one pass over the bikes adds what the
 * live batches would have added on the way (bulk batches leave it; each re-added the labels of a
 * thousand bikes whose words were long in the vocabulary). Run after the staged documents joined.
 */
export async function addAllLabelWords(ctx: ProjectionContext): Promise<void> {
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(VOCABULARY)} (word)
     SELECT ${LABEL_WORDS} FROM ${ctx.qualified(BIKES)} b
      WHERE EXISTS (SELECT 1 FROM ${ctx.qualified(FITMENT)} sf JOIN ${ctx.qualified(DOCUMENTS)} d ON d.part_id = sf.part_id WHERE sf.bike_id = b.bike_id)
     ON CONFLICT (word) DO NOTHING`,
  );
}
