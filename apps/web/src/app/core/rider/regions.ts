/** The regions a rider can choose, each with the currency its retailers price in. */
export interface Region {
  code: string;
  name: string;
  currency: string;
}

export const REGIONS: readonly Region[] = [
  { code: 'US', name: 'United States', currency: 'USD' },
  { code: 'CA', name: 'Canada', currency: 'CAD' },
  { code: 'GB', name: 'United Kingdom', currency: 'GBP' },
  { code: 'IE', name: 'Ireland', currency: 'EUR' },
  { code: 'DE', name: 'Germany', currency: 'EUR' },
  { code: 'FR', name: 'France', currency: 'EUR' },
  { code: 'IT', name: 'Italy', currency: 'EUR' },
  { code: 'ES', name: 'Spain', currency: 'EUR' },
  { code: 'NL', name: 'Netherlands', currency: 'EUR' },
  { code: 'AU', name: 'Australia', currency: 'AUD' },
];

export const DEFAULT_REGION = 'US';

/** A language without a country (`de`, `fr`) still says where most of its speakers shop. */
const LANGUAGE_REGIONS: Record<string, string> = { de: 'DE', fr: 'FR', it: 'IT', es: 'ES', nl: 'NL', en: 'US' };

export function regionByCode(code: string | null | undefined): Region | undefined {
  const upper = code?.toUpperCase();
  return REGIONS.find((region) => region.code === upper);
}

/** `en-GB,en;q=0.9` -> GB; the first language naming a region we know wins. */
export function regionFromLanguages(languages: readonly string[]): string {
  for (const tag of languages) {
    const [language, country] = tag.split('-');
    const byCountry = regionByCode(country);
    if (byCountry) return byCountry.code;
    const byLanguage = LANGUAGE_REGIONS[language?.toLowerCase() ?? ''];
    if (byLanguage) return byLanguage;
  }
  return DEFAULT_REGION;
}
