import { isPartCategory, PART_CATEGORY_LABELS as VOCABULARY, partCategoryLabel } from '@mpp/domain/part-categories';

/** The category vocabulary of DESIGN §4, from libs/domain itself (a pure module the build compiles in). */
export const PART_CATEGORY_LABELS: Readonly<Record<string, string>> = VOCABULARY;

/** A key the web does not know yet (an API newer than the page) reads as words rather than failing. */
export function categoryLabel(key: string): string {
  return isPartCategory(key) ? partCategoryLabel(key) : key.replace(/-/g, ' ');
}
