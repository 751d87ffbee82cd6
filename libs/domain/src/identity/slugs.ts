/**
 * Readable, ASCII, lower-case, hyphenated slugs for URLs. Accents are folded ("Düse" -> "duse"),
 * letters that do not decompose are spelled out (ß -> ss, ø -> o), `&` reads as "and" (R&G -> r-and-g),
 * apostrophes vanish (Rider's -> riders) and every other run of punctuation or space becomes one hyphen.
 */
const LETTERS_WITHOUT_DECOMPOSITION: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðłþı]/g, (letter) => LETTERS_WITHOUT_DECOMPOSITION[letter]!)
    .replace(/&/g, ' and ')
    .replace(/['’`´]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export interface BikeNaming {
  year: number;
  make: string;
  model: string;
  trim?: string | undefined;
}

/**
 * `{year}-{make}-{model}`, with `-{trim}` appended when the bike has a trim: bikes that differ only
 * by trim are different bikes (different ids), so they need different URLs.
 */
export function bikeSlug({ year, make, model, trim }: BikeNaming): string {
  return [String(year), slugify(make), slugify(model), trim === undefined ? '' : slugify(trim)].filter(Boolean).join('-');
}

export interface PartNaming {
  brand: string;
  name: string;
}

/** `{brand}-{name}`; `partSlugWithSku` makes it unique when another part already holds it. */
export function partSlug({ brand, name }: PartNaming): string {
  return [slugify(brand), slugify(name)].filter(Boolean).join('-');
}

/**
 * The slug a part gets when its base slug is taken by another part (same brand and name, e.g. one
 * product in two sizes). Which part keeps the base slug is the projection's call: the first
 * cataloged one, which is stable under replay because the log is replayed in the same order.
 */
export function partSlugWithSku(baseSlug: string, sku: string): string {
  return [baseSlug, slugify(sku)].filter(Boolean).join('-');
}
