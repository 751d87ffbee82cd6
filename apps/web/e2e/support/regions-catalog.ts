import { get, send, signInAsAdmin, type Seed } from './full-stack.js';

/**
 * A catalog priced in three currencies for the riders' browser suite, built so that comparing plain
 * numbers gets every order wrong: £109.99 and $109.99 are the same number, €1,254.99 is a smaller
 * number than $1,303.99, and the seat has no dollar price at all.
 */
export const REGIONS_CATALOG = {
  bikes: [{ make: 'Yamaha', model: 'MT-07', years: [2021, 2022] as [number, number], engineCc: 689 }],
  parts: [
    { sku: 'ASV-F3', brand: 'ASV', name: 'F3 Levers', category: 'levers' },
    { sku: 'RG-AERO', brand: 'R&G', name: 'Aero Frame Sliders', category: 'frame-sliders' },
    { sku: 'SARG-WS', brand: 'Sargent', name: 'World Sport Seat', category: 'seats' },
    { sku: 'AK-RACING', brand: 'Akrapovic', name: 'Racing Line', category: 'exhaust', attributes: { type: 'slip-on', homologated: true } },
    { sku: 'YOSH-R77', brand: 'Yoshimura', name: 'R-77 Full System', category: 'exhaust' },
    { sku: 'EBC-FA252HH', brand: 'EBC', name: 'HH Sintered Brake Pads', category: 'brake-pads' },
  ],
  retailers: [
    { name: 'RevZilla', baseUrl: 'https://www.revzilla.com' },
    { name: 'SportsBikeShop', baseUrl: 'https://www.sportsbikeshop.co.uk' },
    { name: 'FC-Moto', baseUrl: 'https://www.fc-moto.de' },
  ],
  fitment: [
    ...['ASV-F3', 'RG-AERO', 'SARG-WS', 'AK-RACING', 'EBC-FA252HH'].map((sku) => ({ sku, make: 'Yamaha', model: 'MT-07', years: [2021, 2022] as [number, number], source: 'manufacturer' as const })),
  ],
};

export const REGIONS_BIKE_SLUG = '2021-yamaha-mt-07';
export const REGIONS_EXHAUST = { slug: 'akrapovic-racing-line', sku: 'AK-RACING' };

const RETAILER_OF: Record<string, string> = { USD: 'RevZilla', GBP: 'SportsBikeShop', EUR: 'FC-Moto' };
export const REGIONS_OFFERS: [sku: string, currency: string, priceCents: number][] = [
  ['ASV-F3', 'USD', 10_999],
  ['ASV-F3', 'GBP', 10_999],
  ['RG-AERO', 'USD', 15_699],
  ['RG-AERO', 'EUR', 16_699],
  ['SARG-WS', 'GBP', 14_999],
  ['AK-RACING', 'EUR', 125_499],
  ['AK-RACING', 'USD', 130_399],
  ['AK-RACING', 'GBP', 119_999],
  ['YOSH-R77', 'USD', 129_900],
  ['EBC-FA252HH', 'EUR', 3_999],
];

export const seedRegionsCatalog: Seed = async (apiUrl) => {
  const admin = await signInAsAdmin(apiUrl);
  let position = (await send<{ position: number }>(apiUrl, admin, '/api/admin/catalog/import', REGIONS_CATALOG)).position;
  const parts = await get<{ items: { id: string; sku: string }[] }>(apiUrl, '/api/parts?limit=100', position);
  const retailers = await get<{ items: { id: string; name: string }[] }>(apiUrl, '/api/retailers', position);
  for (const [sku, currency, priceCents] of REGIONS_OFFERS) {
    const recorded = await send<{ position: number }>(apiUrl, admin, '/api/admin/prices', {
      partId: parts.items.find((part) => part.sku === sku)!.id,
      retailerId: retailers.items.find((retailer) => retailer.name === RETAILER_OF[currency])!.id,
      priceCents,
      currency,
      inStock: true,
      url: `https://retailer.example/${currency.toLowerCase()}/${sku}`,
      observedAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    position = Math.max(position, recorded.position);
  }
  return position;
};
