import type { CompatibilityStatus } from '@mpp/domain';
import type { FittedBike, SearchDocument } from '../catalog-search.port.js';

/** Bikes of the fixture catalog, with fixed ids so expectations can name them. */
export const BIKES = {
  mt07_2019: { bikeId: '10000000-0000-4000-8000-000000002019', label: '2019 Yamaha MT-07' },
  mt07_2021: { bikeId: '10000000-0000-4000-8000-000000002021', label: '2021 Yamaha MT-07' },
  ninja400_2020: { bikeId: '20000000-0000-4000-8000-000000002020', label: '2020 Kawasaki Ninja 400' },
  gs_2021: { bikeId: '30000000-0000-4000-8000-000000002021', label: '2021 BMW R 1250 GS' },
  cbr650r_2022: { bikeId: '40000000-0000-4000-8000-000000002022', label: '2022 Honda CBR650R' },
} as const;

type BikeKey = keyof typeof BIKES;

const fit = (bike: BikeKey, status: CompatibilityStatus, confirmations = 0, refutations = 0): FittedBike => ({ ...BIKES[bike], status, confirmations, refutations });

function part(
  id: number,
  fields: Omit<SearchDocument, 'id' | 'confirmations' | 'refutations' | 'updatedPosition' | 'inStock' | 'currency' | 'bestPrices'> & { currency?: string; bestPrices?: Record<string, number> },
): SearchDocument {
  const bikes = [...fields.bikes].sort((a, b) => a.label.localeCompare(b.label));
  const currency = fields.bestPriceCents === null ? null : (fields.currency ?? 'USD');
  return {
    id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    currency,
    bestPrices: fields.bestPrices ?? (currency === null || fields.bestPriceCents === null ? {} : { [currency]: fields.bestPriceCents }),
    inStock: fields.bestPriceCents === null ? null : true,
    confirmations: bikes.reduce((sum, b) => sum + b.confirmations, 0),
    refutations: bikes.reduce((sum, b) => sum + b.refutations, 0),
    updatedPosition: id,
    ...fields,
    bikes,
  };
}

/**
 * A small catalog where every search promise of the contract has a right answer and a tempting
 * wrong one: two EBC pads one SKU apart, two Akrapovič exhausts for different bikes, frame sliders
 * for the MT-07 and for the Ninja 400, a part with no price and one with no bikes.
 */
export const FIXTURE = {
  padsMt07: part(1, {
    slug: 'ebc-hh-sintered-brake-pads', sku: 'FA252HH', brand: 'EBC', name: 'HH Sintered Brake Pads', category: 'brake-pads',
    description: 'Sintered front pads for strong wet braking.', bikes: [fit('mt07_2021', 'verified', 2), fit('mt07_2019', 'community', 1)], bestPriceCents: 4_500,
  }),
  padsNinja: part(2, {
    slug: 'ebc-hh-sintered-brake-pads-fa196hh', sku: 'FA196HH', brand: 'EBC', name: 'HH Sintered Brake Pads', category: 'brake-pads',
    description: 'Sintered front pads.', bikes: [fit('ninja400_2020', 'verified')], bestPriceCents: 3_900,
  }),
  akrapovicMt07: part(3, {
    slug: 'akrapovic-slip-on-line-titanium', sku: 'S-Y7SO8-HAPT', brand: 'Akrapovič', name: 'Slip-On Line (Titanium)', category: 'exhaust',
    description: 'Titanium slip-on silencer with carbon end cap.', bikes: [fit('mt07_2021', 'verified', 3), fit('mt07_2019', 'verified')], bestPriceCents: 89_900,
  }),
  scProjectMt07: part(4, {
    slug: 'sc-project-cr-t-exhaust', sku: 'Y21-T36T', brand: 'SC-Project', name: 'CR-T Exhaust', category: 'exhaust',
    description: 'Carbon slip-on.', bikes: [fit('mt07_2021', 'disputed', 1, 2)], bestPriceCents: 79_900,
  }),
  akrapovicNinja: part(5, {
    slug: 'akrapovic-racing-line-full-system', sku: 'S-K4R3-RC', brand: 'Akrapovič', name: 'Racing Line Full System', category: 'exhaust',
    description: 'Stainless full system.', bikes: [fit('ninja400_2020', 'community', 4, 1)], bestPriceCents: 99_900,
  }),
  slidersNinja: part(6, {
    slug: 'r-g-aero-crash-protectors', sku: 'CP0452BL', brand: 'R&G', name: 'Aero Crash Protectors', category: 'frame-sliders',
    description: 'Bolt-on frame protection.', bikes: [fit('ninja400_2020', 'verified', 5)], bestPriceCents: 13_900,
  }),
  slidersMt07: part(7, {
    slug: 'womet-tech-frame-sliders', sku: 'WT-MT07-FS', brand: 'Womet-Tech', name: 'Frame Sliders', category: 'frame-sliders',
    description: 'Machined aluminium.', bikes: [fit('mt07_2021', 'community', 1)], bestPriceCents: 11_900,
  }),
  crashBarsGs: part(8, {
    slug: 'sw-motech-crash-bars', sku: 'SBL.07.897', brand: 'SW-Motech', name: 'Crash Bars', category: 'crash-bars',
    description: 'Engine protection for adventure riding.', bikes: [fit('gs_2021', 'verified')], bestPriceCents: null,
  }),
  screenCbr: part(9, {
    slug: 'puig-racing-screen', sku: '20653F', brand: 'Puig', name: 'Racing Screen', category: 'windscreens',
    description: 'Dark smoke.', bikes: [fit('cbr650r_2022', 'verified')], bestPriceCents: 8_900, currency: 'EUR',
  }),
  sparkPlug: part(10, {
    slug: 'ngk-iridium-ix-spark-plug', sku: 'CR9EIX', brand: 'NGK', name: 'Iridium IX Spark Plug', category: 'spark-plugs',
    description: null, bikes: [], bestPriceCents: 1_200,
  }),
} satisfies Record<string, SearchDocument>;

export const FIXTURE_DOCUMENTS: readonly SearchDocument[] = Object.values(FIXTURE);
