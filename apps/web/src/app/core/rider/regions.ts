// The regions a rider can choose, each with the currency its retailers price in: the API's own list.
import { DEFAULT_REGION, REGIONS, regionByCode, type Region } from '@mpp/domain/regions';

export { DEFAULT_REGION, REGIONS, regionByCode };
export type { Region };

/** A language without a country (`de`, `fr`) still says where most of its speakers shop. */
const LANGUAGE_REGIONS: Record<string, string> = { de: 'DE', fr: 'FR', it: 'IT', es: 'ES', nl: 'NL', en: 'US' };

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
