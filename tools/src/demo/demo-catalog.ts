import type { PartCategory } from '@mpp/domain';

/**
 * The demo catalog `npm start` loads through `POST /api/admin/catalog/import` (DESIGN §6): real
 * makes, models and model years, parts from brands that make them, and the retailers that sell
 * them. SKUs follow each brand's numbering style but are illustrative: the demo is for trying the
 * product, not for buying parts. See docs/demo-catalog.md.
 */

export type FitmentSource = 'manufacturer' | 'retailer' | 'staff';
export type PartAttributes = Record<string, string | number | boolean>;

export interface DemoBike {
  make: string;
  model: string;
  /** Inclusive; the import expands it to one bike per model year. */
  years: [number, number];
  engineCc: number;
}

export interface DemoPart {
  sku: string;
  brand: string;
  name: string;
  category: PartCategory;
  description?: string;
  attributes?: PartAttributes;
}

export interface DemoRetailer {
  name: string;
  baseUrl: string;
  affiliateProgram?: string;
}

export interface DemoFitment {
  sku: string;
  make: string;
  model: string;
  years: [number, number];
  source: FitmentSource;
  notes?: string;
}

/** The body of `POST /api/admin/catalog/import`. */
export interface CatalogImportBody {
  bikes: DemoBike[];
  parts: DemoPart[];
  retailers: DemoRetailer[];
  fitment: DemoFitment[];
}

/** A pair no manufacturer or retailer vouches for, which demo riders verify (so it shows as `community` or `disputed`). */
export interface UnofficialFitmentClaim {
  sku: string;
  make: string;
  model: string;
  years: [number, number];
  /** What the demo riders find: mostly fits, or split opinions. */
  verdict: 'fits' | 'disputed';
}

// ---------------------------------------------------------------------------------------------
// Bikes: popular models, model years kept to recent generations (≤ 7 years each).

export const DEMO_BIKES: DemoBike[] = [
  { make: 'Honda', model: 'CB500F', years: [2019, 2023], engineCc: 471 },
  { make: 'Honda', model: 'CBR500R', years: [2019, 2023], engineCc: 471 },
  { make: 'Honda', model: 'CB650R', years: [2019, 2024], engineCc: 649 },
  { make: 'Honda', model: 'CRF1100L Africa Twin', years: [2020, 2024], engineCc: 1084 },
  { make: 'Honda', model: 'CBR1000RR-R Fireblade', years: [2020, 2024], engineCc: 1000 },
  { make: 'Honda', model: 'Rebel 500', years: [2020, 2024], engineCc: 471 },
  { make: 'Honda', model: 'NC750X', years: [2021, 2024], engineCc: 745 },
  { make: 'Honda', model: 'CB1000R', years: [2018, 2023], engineCc: 998 },
  { make: 'Yamaha', model: 'MT-07', years: [2018, 2024], engineCc: 689 },
  { make: 'Yamaha', model: 'MT-09', years: [2021, 2024], engineCc: 890 },
  { make: 'Yamaha', model: 'YZF-R7', years: [2022, 2024], engineCc: 689 },
  { make: 'Yamaha', model: 'Tracer 9 GT', years: [2021, 2024], engineCc: 890 },
  { make: 'Yamaha', model: 'Ténéré 700', years: [2019, 2024], engineCc: 689 },
  { make: 'Yamaha', model: 'YZF-R1', years: [2020, 2024], engineCc: 998 },
  { make: 'Yamaha', model: 'XSR700', years: [2018, 2024], engineCc: 689 },
  { make: 'Kawasaki', model: 'Ninja 400', years: [2018, 2023], engineCc: 399 },
  { make: 'Kawasaki', model: 'Z900', years: [2020, 2024], engineCc: 948 },
  { make: 'Kawasaki', model: 'Ninja 650', years: [2020, 2024], engineCc: 649 },
  { make: 'Kawasaki', model: 'Versys 650', years: [2022, 2024], engineCc: 649 },
  { make: 'Kawasaki', model: 'Z650RS', years: [2022, 2024], engineCc: 649 },
  { make: 'Kawasaki', model: 'Ninja ZX-10R', years: [2021, 2024], engineCc: 998 },
  { make: 'Suzuki', model: 'SV650', years: [2017, 2023], engineCc: 645 },
  { make: 'Suzuki', model: 'GSX-S1000', years: [2022, 2024], engineCc: 999 },
  { make: 'Suzuki', model: 'V-Strom 650', years: [2017, 2023], engineCc: 645 },
  { make: 'Suzuki', model: 'V-Strom 800DE', years: [2023, 2024], engineCc: 776 },
  { make: 'Suzuki', model: 'Hayabusa', years: [2022, 2024], engineCc: 1340 },
  { make: 'KTM', model: '390 Duke', years: [2017, 2023], engineCc: 373 },
  { make: 'KTM', model: '890 Duke R', years: [2020, 2023], engineCc: 889 },
  { make: 'KTM', model: '1290 Super Duke R', years: [2020, 2023], engineCc: 1301 },
  { make: 'KTM', model: '790 Adventure', years: [2019, 2024], engineCc: 799 },
  { make: 'KTM', model: '390 Adventure', years: [2020, 2024], engineCc: 373 },
  { make: 'BMW', model: 'R 1250 GS', years: [2019, 2023], engineCc: 1254 },
  { make: 'BMW', model: 'S 1000 RR', years: [2019, 2024], engineCc: 999 },
  { make: 'BMW', model: 'F 900 R', years: [2020, 2024], engineCc: 895 },
  { make: 'BMW', model: 'R nineT', years: [2017, 2023], engineCc: 1170 },
  { make: 'BMW', model: 'G 310 R', years: [2018, 2024], engineCc: 313 },
  { make: 'Ducati', model: 'Monster', years: [2021, 2024], engineCc: 937 },
  { make: 'Ducati', model: 'Panigale V4', years: [2018, 2024], engineCc: 1103 },
  { make: 'Ducati', model: 'Multistrada V4', years: [2021, 2024], engineCc: 1158 },
  { make: 'Ducati', model: 'Scrambler Icon', years: [2019, 2024], engineCc: 803 },
  { make: 'Ducati', model: 'Streetfighter V4', years: [2020, 2024], engineCc: 1103 },
  { make: 'Triumph', model: 'Street Triple 765 RS', years: [2020, 2023], engineCc: 765 },
  { make: 'Triumph', model: 'Trident 660', years: [2021, 2024], engineCc: 660 },
  { make: 'Triumph', model: 'Tiger 900', years: [2020, 2023], engineCc: 888 },
  { make: 'Triumph', model: 'Speed Triple 1200 RS', years: [2021, 2024], engineCc: 1160 },
  { make: 'Triumph', model: 'Bonneville T120', years: [2016, 2022], engineCc: 1200 },
  { make: 'Harley-Davidson', model: 'Sportster S', years: [2021, 2024], engineCc: 1252 },
  { make: 'Harley-Davidson', model: 'Pan America 1250', years: [2021, 2024], engineCc: 1252 },
  { make: 'Harley-Davidson', model: 'Street Glide', years: [2018, 2023], engineCc: 1868 },
  { make: 'Harley-Davidson', model: 'Fat Bob 114', years: [2018, 2023], engineCc: 1868 },
  { make: 'Royal Enfield', model: 'Himalayan', years: [2018, 2023], engineCc: 411 },
  { make: 'Royal Enfield', model: 'Interceptor 650', years: [2019, 2024], engineCc: 648 },
  { make: 'Royal Enfield', model: 'Continental GT 650', years: [2019, 2024], engineCc: 648 },
  { make: 'Royal Enfield', model: 'Classic 350', years: [2021, 2024], engineCc: 349 },
  { make: 'Royal Enfield', model: 'Meteor 350', years: [2021, 2024], engineCc: 349 },
];

export const DEMO_MAKES = ['Honda', 'Yamaha', 'Kawasaki', 'Suzuki', 'KTM', 'BMW', 'Ducati', 'Triumph', 'Harley-Davidson', 'Royal Enfield'] as const;

// ---------------------------------------------------------------------------------------------
// Fitment targets. `on` fails at module load on a model that is not in DEMO_BIKES or a year
// outside its range, so a typo cannot reach the import as a 400.

interface Target {
  make: string;
  model: string;
  years: [number, number];
}

function on(make: string, model: string, from?: number, to?: number): Target {
  const bike = DEMO_BIKES.find((b) => b.make === make && b.model === model);
  if (!bike) throw new Error(`demo catalog: no bike ${make} ${model}`);
  const years: [number, number] = [from ?? bike.years[0], to ?? bike.years[1]];
  if (years[0] > years[1] || years[0] < bike.years[0] || years[1] > bike.years[1]) {
    throw new Error(`demo catalog: ${make} ${model} ${years.join('-')} is outside ${bike.years.join('-')}`);
  }
  return { make, model, years };
}

const CB500F = on('Honda', 'CB500F');
const CBR500R = on('Honda', 'CBR500R');
const CB650R = on('Honda', 'CB650R');
const AFRICA_TWIN = on('Honda', 'CRF1100L Africa Twin');
const FIREBLADE = on('Honda', 'CBR1000RR-R Fireblade');
const REBEL_500 = on('Honda', 'Rebel 500');
const NC750X = on('Honda', 'NC750X');
const CB1000R = on('Honda', 'CB1000R');
const MT07 = on('Yamaha', 'MT-07');
const MT09 = on('Yamaha', 'MT-09');
const R7 = on('Yamaha', 'YZF-R7');
const TRACER_9 = on('Yamaha', 'Tracer 9 GT');
const TENERE_700 = on('Yamaha', 'Ténéré 700');
const R1 = on('Yamaha', 'YZF-R1');
const XSR700 = on('Yamaha', 'XSR700');
const NINJA_400 = on('Kawasaki', 'Ninja 400');
const Z900 = on('Kawasaki', 'Z900');
const NINJA_650 = on('Kawasaki', 'Ninja 650');
const VERSYS_650 = on('Kawasaki', 'Versys 650');
const Z650RS = on('Kawasaki', 'Z650RS');
const ZX10R = on('Kawasaki', 'Ninja ZX-10R');
const SV650 = on('Suzuki', 'SV650');
const GSXS1000 = on('Suzuki', 'GSX-S1000');
const VSTROM_650 = on('Suzuki', 'V-Strom 650');
const VSTROM_800DE = on('Suzuki', 'V-Strom 800DE');
const HAYABUSA = on('Suzuki', 'Hayabusa');
const DUKE_390 = on('KTM', '390 Duke');
const DUKE_890R = on('KTM', '890 Duke R');
const SUPER_DUKE = on('KTM', '1290 Super Duke R');
const ADV_790 = on('KTM', '790 Adventure');
const ADV_390 = on('KTM', '390 Adventure');
const R1250GS = on('BMW', 'R 1250 GS');
const S1000RR = on('BMW', 'S 1000 RR');
const F900R = on('BMW', 'F 900 R');
const R_NINET = on('BMW', 'R nineT');
const G310R = on('BMW', 'G 310 R');
const MONSTER = on('Ducati', 'Monster');
const PANIGALE_V4 = on('Ducati', 'Panigale V4');
const MULTISTRADA_V4 = on('Ducati', 'Multistrada V4');
const SCRAMBLER = on('Ducati', 'Scrambler Icon');
const STREETFIGHTER_V4 = on('Ducati', 'Streetfighter V4');
const STREET_TRIPLE = on('Triumph', 'Street Triple 765 RS');
const TRIDENT = on('Triumph', 'Trident 660');
const TIGER_900 = on('Triumph', 'Tiger 900');
const SPEED_TRIPLE = on('Triumph', 'Speed Triple 1200 RS');
const T120 = on('Triumph', 'Bonneville T120');
const SPORTSTER_S = on('Harley-Davidson', 'Sportster S');
const PAN_AMERICA = on('Harley-Davidson', 'Pan America 1250');
const STREET_GLIDE = on('Harley-Davidson', 'Street Glide');
const FAT_BOB = on('Harley-Davidson', 'Fat Bob 114');
const HIMALAYAN = on('Royal Enfield', 'Himalayan');
const INTERCEPTOR = on('Royal Enfield', 'Interceptor 650');
const CONTINENTAL_GT = on('Royal Enfield', 'Continental GT 650');
const CLASSIC_350 = on('Royal Enfield', 'Classic 350');
const METEOR_350 = on('Royal Enfield', 'Meteor 350');

// ---------------------------------------------------------------------------------------------
// Parts, each with the bikes it officially fits.

interface PartEntry {
  part: DemoPart;
  fits: Target[];
  source: FitmentSource;
  notes?: string;
}

const ENTRIES: PartEntry[] = [];

function part(
  brand: string,
  sku: string,
  category: PartCategory,
  name: string,
  fits: Target[],
  extra: { source?: FitmentSource; notes?: string; description?: string; attributes?: PartAttributes } = {},
): void {
  ENTRIES.push({
    part: { sku, brand, name, category, ...(extra.description ? { description: extra.description } : {}), ...(extra.attributes ? { attributes: extra.attributes } : {}) },
    fits,
    source: extra.source ?? 'manufacturer',
    ...(extra.notes ? { notes: extra.notes } : {}),
  });
}

// Exhausts (single slot). The MT-07 and the Ninja 400 each take two of them: a build with both warns.
part('Akrapovic', 'S-Y7SO3-HAPC', 'exhaust', 'Slip-On Line (Carbon) for Yamaha MT-07', [MT07], {
  description: 'Carbon-fibre muffler with titanium end cap; EC/ECE type approved.',
  attributes: { material: 'carbon', type: 'slip-on', homologated: true },
});
part('SC-Project', 'Y17-T36C', 'exhaust', 'CR-T slip-on silencer, carbon, MT-07', [on('Yamaha', 'MT-07', 2021, 2024)], {
  attributes: { material: 'carbon', type: 'slip-on', homologated: false },
  notes: 'Euro 5 models only; race use.',
});
part('Yoshimura', '13380BD520', 'exhaust', 'Alpha T full system, stainless/carbon, MT-07', [MT07, XSR700], { attributes: { type: 'full-system' } });
part('Akrapovic', 'S-Y9SO8-HAPT', 'exhaust', 'Slip-On Line (Titanium) for Yamaha MT-09', [MT09, TRACER_9], { attributes: { material: 'titanium', type: 'slip-on' } });
part('SC-Project', 'Y27-L46T', 'exhaust', 'SC1-R slip-on, titanium, MT-09', [MT09], { attributes: { material: 'titanium', type: 'slip-on' } });
part('Akrapovic', 'S-Y10SO18-HAPT', 'exhaust', 'Slip-On Line (Titanium) for Yamaha YZF-R1', [R1], { attributes: { material: 'titanium', type: 'slip-on' } });
part('Akrapovic', 'S-K4SO4-HZAAT', 'exhaust', 'Slip-On Line (Titanium) for Kawasaki Ninja 400', [NINJA_400], { attributes: { material: 'titanium', type: 'slip-on' } });
part('Yoshimura', '14400BD520', 'exhaust', 'Alpha T slip-on, stainless, Ninja 400', [NINJA_400], { attributes: { material: 'stainless', type: 'slip-on' } });
part('Akrapovic', 'S-K9SO7-HZC', 'exhaust', 'Slip-On Line (Carbon) for Kawasaki Z900', [Z900], { attributes: { material: 'carbon', type: 'slip-on' } });
part('Akrapovic', 'S-K6SO10-HZC', 'exhaust', 'Slip-On Line (Carbon) for Kawasaki Ninja 650 / Z650RS', [NINJA_650, Z650RS], { attributes: { material: 'carbon', type: 'slip-on' } });
part('Akrapovic', 'S-H5SO5-APT', 'exhaust', 'Slip-On Line (Titanium) for Honda CB500F / CBR500R', [CB500F, CBR500R], { attributes: { material: 'titanium', type: 'slip-on' } });
part('SC-Project', 'H36-T41T', 'exhaust', 'S1 slip-on, titanium, Honda CB650R', [CB650R], { attributes: { material: 'titanium', type: 'slip-on' } });
part('Akrapovic', 'S-H10SO18-WT', 'exhaust', 'Slip-On Line (Titanium) for Honda CRF1100L Africa Twin', [AFRICA_TWIN], { attributes: { material: 'titanium', type: 'slip-on' } });
part('Yoshimura', '11170BP520', 'exhaust', 'R-11Sq R slip-on, stainless, Suzuki GSX-S1000', [GSXS1000], { attributes: { material: 'stainless', type: 'slip-on' } });
part('LeoVince', '15205', 'exhaust', 'LV-10 slip-on, black stainless, Suzuki SV650', [SV650], { attributes: { material: 'stainless', type: 'slip-on' } });
part('Akrapovic', 'S-KT3SO5-HAPT', 'exhaust', 'Slip-On Line (Titanium) for KTM 390 Duke', [DUKE_390], { attributes: { material: 'titanium', type: 'slip-on' } });
part('Akrapovic', 'S-KT9SO7-HRC', 'exhaust', 'Slip-On Line (Carbon) for KTM 890 Duke R', [DUKE_890R], { attributes: { material: 'carbon', type: 'slip-on' } });
part('Akrapovic', 'S-KT12SO7-HAPT', 'exhaust', 'Slip-On Line (Titanium) for KTM 1290 Super Duke R', [SUPER_DUKE], { attributes: { material: 'titanium', type: 'slip-on' } });
part('Akrapovic', 'S-B12SO27-HALGT', 'exhaust', 'Slip-On Line (Titanium) for BMW R 1250 GS', [R1250GS], { attributes: { material: 'titanium', type: 'slip-on' } });
part('SC-Project', 'B33-L42A', 'exhaust', 'S1-GP slip-on, titanium, BMW S 1000 RR', [S1000RR], { attributes: { material: 'titanium', type: 'slip-on' } });
part('Akrapovic', 'S-D9SO18-HCQT', 'exhaust', 'Slip-On Line (Titanium) for Ducati Monster', [MONSTER], { attributes: { material: 'titanium', type: 'slip-on' } });
part('SC-Project', 'D28-DT39T', 'exhaust', 'CR-T slip-on, titanium, Ducati Panigale V4', [PANIGALE_V4], { attributes: { material: 'titanium', type: 'slip-on' } });
part('Akrapovic', 'S-T7SO5-HCQT', 'exhaust', 'Slip-On Line (Titanium) for Triumph Street Triple 765', [STREET_TRIPLE], { attributes: { material: 'titanium', type: 'slip-on' } });
part('Arrow', '71931AK', 'exhaust', 'Indy Race slip-on, aluminium, Triumph Trident 660', [TRIDENT], { attributes: { material: 'aluminium', type: 'slip-on' } });
part('Vance & Hines', '47313', 'exhaust', 'Hi-Output 2-into-1 full system, Sportster S', [SPORTSTER_S], { attributes: { type: 'full-system' } });
part('S&S Cycle', '550-0834', 'exhaust', 'Grand National slip-on mufflers, Interceptor / Continental GT 650', [INTERCEPTOR, CONTINENTAL_GT], {
  attributes: { type: 'slip-on', pair: true },
});

// Brake pads
part('EBC', 'FA252HH', 'brake-pads', 'HH sintered front brake pads', [MT07, XSR700, TENERE_700], { attributes: { compound: 'sintered', position: 'front' } });
part('EBC', 'FA197HH', 'brake-pads', 'HH sintered front brake pads', [NINJA_400, NINJA_650, Z650RS, VERSYS_650], { attributes: { compound: 'sintered', position: 'front' } });
part('EBC', 'FA196HH', 'brake-pads', 'HH sintered front brake pads', [CB500F, CBR500R, REBEL_500, NC750X], { attributes: { compound: 'sintered', position: 'front' } });
part('EBC', 'FA447HH', 'brake-pads', 'HH sintered front brake pads (Brembo M4.32 / M50)', [PANIGALE_V4, STREETFIGHTER_V4, MONSTER, MULTISTRADA_V4, SUPER_DUKE, SPEED_TRIPLE, STREET_TRIPLE], {
  attributes: { compound: 'sintered', position: 'front' },
});
part('EBC', 'FA630HH', 'brake-pads', 'HH sintered front brake pads', [R1250GS, S1000RR, F900R], { attributes: { compound: 'sintered', position: 'front' } });
part('EBC', 'FA229HH', 'brake-pads', 'HH sintered front brake pads', [SV650, VSTROM_650], { attributes: { compound: 'sintered', position: 'front' } });
part('EBC', 'FA409HH', 'brake-pads', 'HH sintered front brake pads', [STREET_GLIDE, FAT_BOB], { attributes: { compound: 'sintered', position: 'front' } });
part('EBC', 'FA181HH', 'brake-pads', 'HH sintered front brake pads (ByBre caliper)', [DUKE_390, ADV_390, G310R, HIMALAYAN], { attributes: { compound: 'sintered', position: 'front' } });
part('EBC', 'FA388HH', 'brake-pads', 'HH sintered front brake pads', [AFRICA_TWIN, CB650R], { attributes: { compound: 'sintered', position: 'front' } });
part('EBC', 'FA697HH', 'brake-pads', 'HH sintered front brake pads', [INTERCEPTOR, CONTINENTAL_GT, CLASSIC_350, METEOR_350], { attributes: { compound: 'sintered', position: 'front' } });
part('Brembo', '07BB37SA', 'brake-pads', 'SA sintered road pads for Brembo radial calipers', [PANIGALE_V4, STREETFIGHTER_V4, MONSTER, SUPER_DUKE, DUKE_890R, SPEED_TRIPLE], {
  attributes: { compound: 'sintered', position: 'front' },
});
part('Brembo', '07YA23SA', 'brake-pads', 'SA sintered road pads', [MT09, TRACER_9, R1, R7], { attributes: { compound: 'sintered', position: 'front' } });
part('Brembo', '07KA26SA', 'brake-pads', 'SA sintered road pads', [Z900, ZX10R], { attributes: { compound: 'sintered', position: 'front' } });

// Brake rotors
part('Brembo', '78B40870', 'brake-rotors', 'T-Drive 330 mm floating disc', [PANIGALE_V4, STREETFIGHTER_V4], { attributes: { diameterMm: 330 } });
part('EBC', 'MD2122X', 'brake-rotors', 'Contour floating disc 282 mm', [MT07, XSR700], { attributes: { diameterMm: 282 } });
part('Galfer', 'DF961CW', 'brake-rotors', 'Wave fixed disc 310 mm', [NINJA_400], { attributes: { diameterMm: 310 } });
part('EBC', 'MD665X', 'brake-rotors', 'X-Series floating disc 305 mm', [R1250GS], { attributes: { diameterMm: 305 } });

// Chain and sprocket kits (shaft and belt drives have none)
part('DID', 'DKY-007', 'chain-sprocket-kits', '520VX3 X-ring chain and sprocket kit 16/43', [MT07, XSR700], { attributes: { pitch: 520, front: 16, rear: 43, links: 108 } });
part('Regina', '6ZRP-YA-MT07', 'chain-sprocket-kits', '135 ZRP O-ring chain kit 16/43', [MT07], { attributes: { pitch: 520, front: 16, rear: 43, links: 108 } });
part('DID', 'DKY-015', 'chain-sprocket-kits', '525VX3 X-ring chain and sprocket kit 16/45', [MT09, TRACER_9], { attributes: { pitch: 525, front: 16, rear: 45, links: 116 } });
part('DID', 'DKY-017', 'chain-sprocket-kits', '520VX3 X-ring chain and sprocket kit 15/46', [TENERE_700], { attributes: { pitch: 520, front: 15, rear: 46, links: 118 } });
part('DID', 'DKK-019', 'chain-sprocket-kits', '520VX3 X-ring chain and sprocket kit 14/41', [NINJA_400], { attributes: { pitch: 520, front: 14, rear: 41, links: 106 } });
part('DID', 'DKK-021', 'chain-sprocket-kits', '520VX3 X-ring chain and sprocket kit 15/46', [NINJA_650, Z650RS], { attributes: { pitch: 520, front: 15, rear: 46, links: 114 } });
part('DID', 'DKK-020', 'chain-sprocket-kits', '525ZVM-X2 chain and sprocket kit 15/44', [Z900], { attributes: { pitch: 525, front: 15, rear: 44, links: 114 } });
part('DID', 'DKH-013', 'chain-sprocket-kits', '520VX3 X-ring chain and sprocket kit 15/41', [CB500F, CBR500R], { attributes: { pitch: 520, front: 15, rear: 41, links: 112 } });
part('DID', 'DKH-022', 'chain-sprocket-kits', '525ZVM-X2 chain and sprocket kit 16/42', [AFRICA_TWIN], { attributes: { pitch: 525, front: 16, rear: 42, links: 124 } });
part('DID', 'DKS-006', 'chain-sprocket-kits', '525VX3 X-ring chain and sprocket kit 15/46', [SV650], { attributes: { pitch: 525, front: 15, rear: 46, links: 116 } });
part('Regina', '9ZRP-KT-390', 'chain-sprocket-kits', '135 ZRP O-ring chain kit 15/45', [DUKE_390], { attributes: { pitch: 520, front: 15, rear: 45, links: 114 } });
part('DID', 'DKKT-010', 'chain-sprocket-kits', '520ZVM-X2 chain and sprocket kit 16/48', [ADV_790], { attributes: { pitch: 520, front: 16, rear: 48, links: 120 } });
part('Regina', '7ZRP-TR-765', 'chain-sprocket-kits', '135 ZRP O-ring chain kit 16/46', [STREET_TRIPLE], { attributes: { pitch: 525, front: 16, rear: 46, links: 112 } });
part('Regina', '6ZRP-RE-650', 'chain-sprocket-kits', '135 ZRP O-ring chain kit 15/46', [INTERCEPTOR, CONTINENTAL_GT], { attributes: { pitch: 520, front: 15, rear: 46, links: 102 } });

// Tyres: fitment by original-equipment size, vouched for by the retailer's size guide.
const TYRE_SIZES = {
  '120/70ZR17': [MT07, MT09, XSR700, R7, TRACER_9, Z900, NINJA_650, Z650RS, SV650, GSXS1000, CB650R, CB1000R, FIREBLADE, R1, ZX10R, DUKE_890R, SUPER_DUKE, S1000RR, F900R, R_NINET, MONSTER, PANIGALE_V4, STREETFIGHTER_V4, STREET_TRIPLE, TRIDENT, SPEED_TRIPLE, HAYABUSA, CB500F, CBR500R, NC750X],
  '160/60ZR17': [MT07, XSR700, SV650, NINJA_650, Z650RS, VERSYS_650, CB500F, CBR500R, NC750X],
  '180/55ZR17': [MT09, TRACER_9, R7, Z900, GSXS1000, CB650R, DUKE_890R, F900R, R_NINET, MONSTER, STREET_TRIPLE, TRIDENT],
  '190/55ZR17': [FIREBLADE, R1, ZX10R, S1000RR, SPEED_TRIPLE, CB1000R],
  '200/60ZR17': [PANIGALE_V4, STREETFIGHTER_V4, SUPER_DUKE],
  '110/70R17': [NINJA_400, DUKE_390, G310R],
  '150/60R17': [NINJA_400, DUKE_390, G310R],
  '90/90-21': [AFRICA_TWIN, TENERE_700, ADV_790, TIGER_900, VSTROM_800DE],
  '150/70R18': [AFRICA_TWIN, TENERE_700, ADV_790, TIGER_900, VSTROM_800DE],
  '120/70R19': [R1250GS, MULTISTRADA_V4, PAN_AMERICA],
  '170/60R17': [R1250GS, MULTISTRADA_V4, PAN_AMERICA, TIGER_900],
  '110/80R19': [VSTROM_650],
  '150/70R17': [VSTROM_650],
} satisfies Record<string, Target[]>;

type TyreSize = keyof typeof TYRE_SIZES;

function tyre(brand: string, sku: string, line: string, size: TyreSize, position: 'front' | 'rear', use: string): void {
  part(brand, sku, 'tyres', `${line} ${size} ${position}`, [...TYRE_SIZES[size]], {
    source: 'retailer',
    notes: `OE size ${size} (${position})`,
    attributes: { size, position, use },
  });
}

tyre('Michelin', 'MIC-154590', 'Road 6', '120/70ZR17', 'front', 'sport-touring');
tyre('Michelin', 'MIC-154593', 'Road 6', '160/60ZR17', 'rear', 'sport-touring');
tyre('Michelin', 'MIC-154595', 'Road 6', '180/55ZR17', 'rear', 'sport-touring');
tyre('Michelin', 'MIC-154598', 'Road 6', '190/55ZR17', 'rear', 'sport-touring');
tyre('Michelin', 'MIC-081644', 'Power 6', '120/70ZR17', 'front', 'sport');
tyre('Michelin', 'MIC-081651', 'Power 6', '180/55ZR17', 'rear', 'sport');
tyre('Michelin', 'MIC-081655', 'Power 6', '190/55ZR17', 'rear', 'sport');
tyre('Michelin', 'MIC-537022', 'Pilot Street 2', '110/70R17', 'front', 'street');
tyre('Michelin', 'MIC-537031', 'Pilot Street 2', '150/60R17', 'rear', 'street');
tyre('Michelin', 'MIC-711205', 'Anakee Adventure', '90/90-21', 'front', 'adventure');
tyre('Michelin', 'MIC-711214', 'Anakee Adventure', '150/70R18', 'rear', 'adventure');
tyre('Michelin', 'MIC-711230', 'Anakee Adventure', '120/70R19', 'front', 'adventure');
tyre('Michelin', 'MIC-711238', 'Anakee Adventure', '170/60R17', 'rear', 'adventure');
tyre('Pirelli', '3979000', 'Diablo Rosso IV', '120/70ZR17', 'front', 'sport');
tyre('Pirelli', '3979200', 'Diablo Rosso IV', '160/60ZR17', 'rear', 'sport');
tyre('Pirelli', '3979300', 'Diablo Rosso IV', '180/55ZR17', 'rear', 'sport');
tyre('Pirelli', '3979400', 'Diablo Rosso IV', '190/55ZR17', 'rear', 'sport');
tyre('Pirelli', '3979700', 'Diablo Rosso IV', '200/60ZR17', 'rear', 'sport');
tyre('Pirelli', '3111300', 'Angel GT II', '120/70ZR17', 'front', 'sport-touring');
tyre('Pirelli', '3111700', 'Angel GT II', '180/55ZR17', 'rear', 'sport-touring');
tyre('Pirelli', '2802300', 'Scorpion Rally STR', '90/90-21', 'front', 'adventure');
tyre('Pirelli', '2802600', 'Scorpion Rally STR', '150/70R18', 'rear', 'adventure');
tyre('Bridgestone', 'BS-S22F-12070', 'Battlax Hypersport S22', '120/70ZR17', 'front', 'sport');
tyre('Bridgestone', 'BS-S22R-19055', 'Battlax Hypersport S22', '190/55ZR17', 'rear', 'sport');
tyre('Bridgestone', 'BS-T32F-12070', 'Battlax T32', '120/70ZR17', 'front', 'sport-touring');
tyre('Bridgestone', 'BS-T32R-18055', 'Battlax T32', '180/55ZR17', 'rear', 'sport-touring');
tyre('Bridgestone', 'BS-T32F-12070R19', 'Battlax T32', '120/70R19', 'front', 'sport-touring');
tyre('Bridgestone', 'BS-T32R-17060', 'Battlax T32', '170/60R17', 'rear', 'sport-touring');
tyre('Bridgestone', 'BS-A41F-11080', 'Battlax Adventure A41', '110/80R19', 'front', 'adventure');
tyre('Bridgestone', 'BS-A41R-15070', 'Battlax Adventure A41', '150/70R17', 'rear', 'adventure');

// Windscreens (single slot)
part('Puig', '3175W', 'windscreens', 'Sport screen, clear, MT-07', [on('Yamaha', 'MT-07', 2021, 2024)], { attributes: { tint: 'clear', style: 'sport' } });
part('MRA', '4025066171584', 'windscreens', 'Racing screen "R", smoke grey, MT-09', [MT09], { attributes: { tint: 'smoke', style: 'racing' } });
part('Puig', '9713H', 'windscreens', 'Z-Racing screen, dark smoke, Ninja 400', [NINJA_400], { attributes: { tint: 'dark smoke', style: 'racing' } });
part('Givi', 'D1178ST', 'windscreens', 'Touring screen, clear, Africa Twin', [AFRICA_TWIN], { attributes: { tint: 'clear', style: 'touring' } });
part('MRA', '4025066166405', 'windscreens', 'Vario touring screen "VTM", clear, R 1250 GS', [R1250GS], { attributes: { tint: 'clear', style: 'touring' } });
part('Puig', '20393W', 'windscreens', 'Touring screen, clear, Tracer 9 GT', [TRACER_9], { attributes: { tint: 'clear', style: 'touring' } });
part('Givi', 'D2145ST', 'windscreens', 'Rally screen, clear, Ténéré 700', [TENERE_700], { attributes: { tint: 'clear', style: 'rally' } });
part('MRA', '4025066170044', 'windscreens', 'Touring screen "T", clear, V-Strom 650', [VSTROM_650], { attributes: { tint: 'clear', style: 'touring' } });
part('Puig', '21042F', 'windscreens', 'Sport screen, smoke, Street Triple 765', [STREET_TRIPLE], { attributes: { tint: 'smoke', style: 'sport' } });
part('Givi', 'D9250ST', 'windscreens', 'Touring screen, clear, Himalayan', [HIMALAYAN], { attributes: { tint: 'clear', style: 'touring' } });

// Frame sliders
part('R&G', 'CP0434BL', 'frame-sliders', 'Aero crash protectors, MT-07', [MT07], { attributes: { style: 'aero' } });
part('R&G', 'CP0513BL', 'frame-sliders', 'Aero crash protectors, MT-09', [MT09, TRACER_9], { attributes: { style: 'aero' } });
part('R&G', 'CP0441BL', 'frame-sliders', 'Aero crash protectors, Ninja 400', [NINJA_400], { attributes: { style: 'aero' } });
part('R&G', 'CP0476BL', 'frame-sliders', 'Aero crash protectors, Z900', [Z900], { attributes: { style: 'aero' } });
part('R&G', 'CP0458BL', 'frame-sliders', 'Aero crash protectors, CB650R', [CB650R], { attributes: { style: 'aero' } });
part('R&G', 'CP0437BL', 'frame-sliders', 'Aero crash protectors, KTM 390 Duke', [DUKE_390], { attributes: { style: 'aero' } });
part('R&G', 'CP0499BL', 'frame-sliders', 'Aero crash protectors, Street Triple 765', [STREET_TRIPLE], { attributes: { style: 'aero' } });
part('Puig', '20389N', 'frame-sliders', 'R19 frame sliders, Trident 660', [TRIDENT], { attributes: { style: 'r19' } });
part('Puig', '9955N', 'frame-sliders', 'Pro frame sliders, SV650', [SV650], { attributes: { style: 'pro' } });
part('R&G', 'CP0500BL', 'frame-sliders', 'Aero crash protectors, Ducati Monster', [MONSTER], { attributes: { style: 'aero' } });
part('Puig', '20135N', 'frame-sliders', 'R12 frame sliders, S 1000 RR', [S1000RR], { attributes: { style: 'r12' } });

// Crash bars
part('SW-Motech', 'SBL.06.943.10000/B', 'crash-bars', 'Crash bars, black, MT-07', [MT07], {});
part('SW-Motech', 'SBL.01.950.10000/B', 'crash-bars', 'Upper crash bars, Africa Twin', [AFRICA_TWIN], {});
part('SW-Motech', 'SBL.06.799.10000/B', 'crash-bars', 'Crash bars, black, Ténéré 700', [TENERE_700], {});
part('SW-Motech', 'SBL.07.897.10000/B', 'crash-bars', 'Crash bars, black, R 1250 GS', [R1250GS], {});
part('Givi', 'TN2145', 'crash-bars', 'Engine guard, black, Ténéré 700', [TENERE_700], {});
part('Givi', 'TN1178', 'crash-bars', 'Engine guard, black, Africa Twin', [AFRICA_TWIN], {});
part('Hepco & Becker', '501 4519 00 01', 'crash-bars', 'Engine protection bar, anthracite, Tracer 9 GT', [TRACER_9], {});
part('Hepco & Becker', '502 6519 00 01', 'crash-bars', 'Engine protection bar, Tiger 900', [TIGER_900], {});
part('SW-Motech', 'SBL.04.899.10000/B', 'crash-bars', 'Crash bars, black, KTM 790 Adventure', [ADV_790], {});
part('Givi', 'TN9050', 'crash-bars', 'Engine guard, Himalayan', [HIMALAYAN], {});
part('SW-Motech', 'SBL.05.960.10000/B', 'crash-bars', 'Crash bars, black, V-Strom 800DE', [VSTROM_800DE], {});
part('Hepco & Becker', '501 7535 00 01', 'crash-bars', 'Engine protection bar, Multistrada V4', [MULTISTRADA_V4], {});

// Luggage racks
part('Givi', 'SR2140', 'luggage-racks', 'Monorack top-case arms, MT-07', [MT07], { attributes: { system: 'Monolock/Monokey' } });
part('SW-Motech', 'GPT.06.943.15000/B', 'luggage-racks', 'Street-Rack, MT-07', [MT07], { attributes: { system: 'Street-Rack' } });
part('Givi', 'SR1178', 'luggage-racks', 'Top-case rack, Africa Twin', [AFRICA_TWIN], { attributes: { system: 'Monokey' } });
part('SW-Motech', 'GPT.07.897.15000/B', 'luggage-racks', 'Adventure-Rack, R 1250 GS', [R1250GS], { attributes: { system: 'Adventure-Rack' } });
part('Hepco & Becker', '654 4519 01 01', 'luggage-racks', 'Easyrack top-case carrier, Tracer 9 GT', [TRACER_9], { attributes: { system: 'Easyrack' } });
part('Givi', 'SR2145', 'luggage-racks', 'Top-case rack, Ténéré 700', [TENERE_700], { attributes: { system: 'Monokey' } });
part('SW-Motech', 'GPT.08.683.15000/B', 'luggage-racks', 'Street-Rack, Ninja 650', [NINJA_650], { attributes: { system: 'Street-Rack' } });
part('Givi', 'SR9050', 'luggage-racks', 'Top-case rack, Royal Enfield Himalayan', [HIMALAYAN], { attributes: { system: 'Monokey' } });
part('Hepco & Becker', '654 6519 01 01', 'luggage-racks', 'Alu-Rack, Tiger 900', [TIGER_900], { attributes: { system: 'Alu-Rack' } });
part('SW-Motech', 'GPT.05.960.15000/B', 'luggage-racks', 'Adventure-Rack, V-Strom 800DE', [VSTROM_800DE], { attributes: { system: 'Adventure-Rack' } });

// Seats (single slot)
part('Corbin', 'Y-MT07-18', 'seats', 'Gunfighter solo seat, MT-07', [on('Yamaha', 'MT-07', 2018, 2020)], { attributes: { material: 'leather' } });
part('Sargent', 'WS-612-19', 'seats', 'World Sport Performance seat, MT-07', [MT07], { attributes: { material: 'vinyl', heated: false } });
part('Sargent', 'WS-646-19', 'seats', 'World Sport Performance seat, Africa Twin', [AFRICA_TWIN], { attributes: { material: 'vinyl', heated: false } });
part('Corbin', 'BMW-R1250GS-S', 'seats', 'Dual Sport saddle, R 1250 GS', [R1250GS], { attributes: { material: 'leather', heated: true } });
part('Corbin', 'HD-SPS-21', 'seats', 'Gunfighter solo seat, Sportster S', [SPORTSTER_S], { attributes: { material: 'leather' } });
part('Sargent', 'WS-1004-19', 'seats', 'World Sport Performance seat, Street Glide', [STREET_GLIDE], { attributes: { material: 'vinyl', heated: true } });
part('Corbin', 'T-T120-16', 'seats', 'Cafe saddle, Bonneville T120', [T120], { attributes: { material: 'leather' } });
part('Sargent', 'WS-697-19', 'seats', 'World Sport Performance seat, Ténéré 700', [TENERE_700], { attributes: { material: 'vinyl', heated: false } });

// Air filters
part('K&N', 'YA-6014', 'air-filters', 'Replacement air filter', [MT07, XSR700, TENERE_700, R7], { attributes: { washable: true } });
part('K&N', 'YA-8521', 'air-filters', 'Replacement air filter', [MT09, TRACER_9], { attributes: { washable: true } });
part('K&N', 'KA-4018', 'air-filters', 'Replacement air filter', [NINJA_400], { attributes: { washable: true } });
part('K&N', 'HA-5019', 'air-filters', 'Replacement air filter', [CB500F, CBR500R, REBEL_500], { attributes: { washable: true } });
part('K&N', 'BM-1219', 'air-filters', 'Replacement air filter', [R1250GS], { attributes: { washable: true } });
part('K&N', 'HD-0818', 'air-filters', 'Replacement air filter', [SPORTSTER_S, PAN_AMERICA], { attributes: { washable: true } });
part('BMC', 'FM01000/04', 'air-filters', 'Air filter, washable cotton', [PANIGALE_V4, STREETFIGHTER_V4], { attributes: { washable: true } });
part('BMC', 'FM854/04', 'air-filters', 'Air filter, washable cotton', [MONSTER, MULTISTRADA_V4], { attributes: { washable: true } });
part('BMC', 'FM956/04', 'air-filters', 'Air filter, washable cotton', [DUKE_390, ADV_390], { attributes: { washable: true } });
part('BMC', 'FM01080/04', 'air-filters', 'Air filter, washable cotton', [STREET_TRIPLE, TRIDENT], { attributes: { washable: true } });

// Oil filters
part('HiFlo', 'HF204', 'oil-filters', 'Oil filter', [MT07, MT09, XSR700, R7, TRACER_9, TENERE_700, R1, CB500F, CBR500R, CB650R, AFRICA_TWIN, REBEL_500, NC750X, CB1000R, FIREBLADE, T120, TRIDENT, STREET_TRIPLE], {});
part('HiFlo', 'HF303', 'oil-filters', 'Oil filter', [NINJA_400, Z900, NINJA_650, VERSYS_650, Z650RS, ZX10R], {});
part('HiFlo', 'HF138', 'oil-filters', 'Oil filter', [SV650, GSXS1000, VSTROM_650, VSTROM_800DE, HAYABUSA], {});
part('HiFlo', 'HF160', 'oil-filters', 'Oil filter', [R1250GS, S1000RR, F900R, R_NINET], {});
part('HiFlo', 'HF153', 'oil-filters', 'Oil filter', [MONSTER, PANIGALE_V4, MULTISTRADA_V4, SCRAMBLER, STREETFIGHTER_V4], {});
part('HiFlo', 'HF652', 'oil-filters', 'Oil filter (cartridge)', [DUKE_390, ADV_390], {});
part('HiFlo', 'HF650', 'oil-filters', 'Oil filter (cartridge)', [DUKE_890R, SUPER_DUKE, ADV_790], {});
part('HiFlo', 'HF170B', 'oil-filters', 'Oil filter, black', [STREET_GLIDE, FAT_BOB, SPORTSTER_S, PAN_AMERICA], {});
part('K&N', 'KN-204', 'oil-filters', 'Performance oil filter', [MT07, MT09, XSR700, TENERE_700, CB500F, CBR500R, CB650R, AFRICA_TWIN], {});

// Levers
part('ASV', 'F3-BRC5-MT07', 'levers', 'F3 Series shorty brake and clutch lever set, MT-07', [MT07, XSR700], { attributes: { length: 'shorty', foldable: true } });
part('ASV', 'F3-BRC5-N400', 'levers', 'F3 Series shorty brake and clutch lever set, Ninja 400', [NINJA_400], { attributes: { length: 'shorty', foldable: true } });
part('Rizoma', 'LBJ105B', 'levers', 'RRC brake lever, black', [PANIGALE_V4, STREETFIGHTER_V4, MONSTER], { attributes: { length: 'standard', foldable: true } });
part('Puig', '2.0-MT09-BK', 'levers', '2.0 brake and clutch levers, MT-09', [MT09, TRACER_9], { attributes: { length: 'standard', foldable: false } });
part('ASV', 'F3-BRC5-Z900', 'levers', 'F3 Series shorty brake and clutch lever set, Z900', [Z900], { attributes: { length: 'shorty', foldable: true } });
part('Puig', '3.0-D390-BK', 'levers', '3.0 brake and clutch levers, KTM 390 Duke', [DUKE_390], { attributes: { length: 'standard', foldable: true } });

// Mirrors
part('Rizoma', 'BS200B', 'mirrors', 'Spy-R bar-end mirror, black', [MT07, MT09, Z900, DUKE_890R, STREET_TRIPLE], { attributes: { mount: 'bar-end' } });
part('Rizoma', 'BS294B', 'mirrors', 'Stealth mirror, black', [MONSTER, STREETFIGHTER_V4], { attributes: { mount: 'stem' } });
part('Puig', '9470N', 'mirrors', 'Hi-Tech Vision mirrors, pair', [NINJA_400, NINJA_650, Z650RS], { attributes: { mount: 'fairing' } });
part('Oxford', 'OX577', 'mirrors', 'Universal bar-end mirror, black', [], { attributes: { mount: 'bar-end', universal: true } });

// Lighting
part('Denali', 'DNL.D4.050', 'lighting', 'D4 LED light pods with DataDim', [], { attributes: { lumens: 10000, universal: true } });
part('Denali', 'LAH.10.11700', 'lighting', 'Auxiliary light mount, R 1250 GS', [R1250GS], {});
part('Denali', 'LAH.06.10600', 'lighting', 'Auxiliary light mount, Ténéré 700', [TENERE_700], {});
part('Oxford', 'EL314', 'lighting', 'Ultratorch LED indicator set', [], { attributes: { universal: true } });
part('Oxford', 'EL330', 'lighting', 'LED number-plate light', [], { attributes: { universal: true } });

// Batteries
part('Yuasa', 'YTZ10S', 'batteries', 'YTZ10S maintenance-free battery', [MT07, MT09, XSR700, R7, TRACER_9, TENERE_700, CB650R, CB1000R, STREET_TRIPLE, TRIDENT], { attributes: { ah: 8.6, coldCrankingAmps: 190 } });
part('Yuasa', 'YTZ7S', 'batteries', 'YTZ7S maintenance-free battery', [NINJA_400, CB500F, CBR500R, REBEL_500, DUKE_390, ADV_390, G310R], { attributes: { ah: 6, coldCrankingAmps: 130 } });
part('Yuasa', 'YTZ14S', 'batteries', 'YTZ14S maintenance-free battery', [AFRICA_TWIN, NC750X, R1250GS, R_NINET, T120, SPEED_TRIPLE], { attributes: { ah: 11.2, coldCrankingAmps: 230 } });
part('Yuasa', 'YTX20HL-BS', 'batteries', 'YTX20HL-BS high-performance battery', [STREET_GLIDE, FAT_BOB], { attributes: { ah: 18, coldCrankingAmps: 310 } });
part('Yuasa', 'YTZ12S', 'batteries', 'YTZ12S maintenance-free battery', [Z900, NINJA_650, Z650RS, VERSYS_650, SV650, VSTROM_650], { attributes: { ah: 11, coldCrankingAmps: 210 } });

// Spark plugs
part('NGK', 'LMAR8A-9', 'spark-plugs', 'Standard spark plug', [MT07, XSR700, R7, TENERE_700, MT09, TRACER_9], {});
part('NGK', 'CR9EIA-9', 'spark-plugs', 'Iridium IX spark plug', [NINJA_400, NINJA_650, Z650RS, VERSYS_650, Z900], {});
part('NGK', 'SIMR8A9', 'spark-plugs', 'Laser iridium spark plug', [CB500F, CBR500R, REBEL_500, CB650R, AFRICA_TWIN, NC750X], {});
part('NGK', 'LMAR8BI-9', 'spark-plugs', 'Iridium spark plug', [R1250GS, S1000RR, F900R], {});
part('NGK', 'MAR9A-J', 'spark-plugs', 'Standard spark plug', [PANIGALE_V4, STREETFIGHTER_V4, MULTISTRADA_V4], {});
part('NGK', 'DCPR8E', 'spark-plugs', 'Standard spark plug', [DUKE_390, ADV_390, SV650, VSTROM_650, HIMALAYAN], {});

// Handlebars (single slot)
part('Renthal', '755-01-BK', 'handlebars', 'Fatbar 28.6 mm, street, black', [], { attributes: { diameterMm: 28.6, universal: true } });
part('LSL', '120Y069', 'handlebars', 'Superbike conversion kit, MT-07', [MT07], {});
part('ABM', '100419-F15', 'handlebars', 'Superbike handlebar conversion, Ninja 400', [NINJA_400], {});

// Footpegs
part('Rizoma', 'PE620B', 'footpegs', 'Sport rider footpegs, black', [MT07, MT09, XSR700], {});
part('Pivot Pegz', 'PP-KTM-MK3', 'footpegs', 'Mk3 pivoting footpegs', [ADV_790, ADV_390], {});
part('Puig', '7318N', 'footpegs', 'Hi-Tech footpegs, rider, black', [TENERE_700], {});

// Suspension (single slot)
part('Öhlins', 'YA 537', 'suspension', 'STX 46 rear shock absorber, MT-07', [MT07, XSR700], { attributes: { type: 'rear shock', adjustable: 'preload, rebound' } });
part('Öhlins', 'KA 469', 'suspension', 'STX 46 rear shock absorber, Ninja 400', [NINJA_400], { attributes: { type: 'rear shock', adjustable: 'preload, rebound' } });
part('Öhlins', 'TR 535', 'suspension', 'TTX GP rear shock absorber, Street Triple 765', [STREET_TRIPLE], { attributes: { type: 'rear shock', adjustable: 'full' } });
part('Öhlins', 'BM 446', 'suspension', 'STX 46 Adventure rear shock, R 1250 GS', [R1250GS], { attributes: { type: 'rear shock', adjustable: 'full' } });
part('Hyperpro', 'SP-YA07-SSA017', 'suspension', 'Progressive fork springs, MT-07', [MT07, XSR700], { attributes: { type: 'fork springs' } });
part('Hyperpro', 'SP-KA04-SSA006', 'suspension', 'Progressive fork springs, Ninja 400', [NINJA_400], { attributes: { type: 'fork springs' } });
part('Hyperpro', 'YA-07TE-T000', 'suspension', 'Type 460 rear shock, Ténéré 700', [TENERE_700], { attributes: { type: 'rear shock', adjustable: 'preload, rebound' } });

// ---------------------------------------------------------------------------------------------

export const DEMO_PARTS: DemoPart[] = ENTRIES.map((e) => e.part);

export const DEMO_RETAILERS: DemoRetailer[] = [
  { name: 'RevZilla', baseUrl: 'https://www.revzilla.com', affiliateProgram: 'AvantLink' },
  { name: 'Sportsbike Shop', baseUrl: 'https://www.sportsbikeshop.co.uk', affiliateProgram: 'Awin' },
  { name: 'FC-Moto', baseUrl: 'https://www.fc-moto.de', affiliateProgram: 'Awin' },
  { name: 'Louis', baseUrl: 'https://www.louis.de' },
  { name: 'J&S Accessories', baseUrl: 'https://www.jsaccessories.co.uk' },
  { name: 'Cycle Gear', baseUrl: 'https://www.cyclegear.com', affiliateProgram: 'AvantLink' },
  { name: 'Amazon', baseUrl: 'https://www.amazon.com', affiliateProgram: 'Amazon Associates' },
];

export const DEMO_FITMENT: DemoFitment[] = ENTRIES.flatMap((e) =>
  e.fits.map((t) => ({ sku: e.part.sku, make: t.make, model: t.model, years: t.years, source: e.source, ...(e.notes ? { notes: e.notes } : {}) })),
);

export const DEMO_CATALOG: CatalogImportBody = {
  bikes: DEMO_BIKES,
  parts: DEMO_PARTS,
  retailers: DEMO_RETAILERS,
  fitment: DEMO_FITMENT,
};

/**
 * Pairs only riders vouch for: model-specific parts on a sibling model, and universal parts.
 * Demo riders confirm the `fits` ones (status `community`) and split on the `disputed` ones.
 */
export const DEMO_UNOFFICIAL_FITMENT: UnofficialFitmentClaim[] = [
  { sku: 'S-Y7SO3-HAPC', ...XSR700, verdict: 'fits' },
  { sku: 'Y17-T36C', ...on('Yamaha', 'XSR700', 2021, 2024), verdict: 'disputed' },
  { sku: 'CP0434BL', ...XSR700, verdict: 'fits' },
  { sku: 'SR2140', ...XSR700, verdict: 'disputed' },
  { sku: 'OX577', ...MT07, verdict: 'fits' },
  { sku: 'OX577', ...NINJA_400, verdict: 'fits' },
  { sku: 'OX577', ...DUKE_390, verdict: 'fits' },
  { sku: 'OX577', ...INTERCEPTOR, verdict: 'fits' },
  { sku: 'DNL.D4.050', ...TENERE_700, verdict: 'fits' },
  { sku: 'DNL.D4.050', ...R1250GS, verdict: 'fits' },
  { sku: 'DNL.D4.050', ...AFRICA_TWIN, verdict: 'fits' },
  { sku: 'EL314', ...MT07, verdict: 'fits' },
  { sku: 'EL314', ...NINJA_400, verdict: 'disputed' },
  { sku: 'EL330', ...INTERCEPTOR, verdict: 'fits' },
  { sku: '755-01-BK', ...HIMALAYAN, verdict: 'fits' },
  { sku: '755-01-BK', ...DUKE_390, verdict: 'disputed' },
  { sku: 'DKY-007', ...on('Yamaha', 'YZF-R7'), verdict: 'disputed' },
  { sku: 'BS294B', ...STREET_TRIPLE, verdict: 'fits' },
  { sku: 'FA252HH', ...R7, verdict: 'disputed' },
  { sku: 'YA 537', ...TENERE_700, verdict: 'disputed' },
];

// ---------------------------------------------------------------------------------------------
// What the import expands to, for the history generator and the tests.

export interface ExpandedBike {
  year: number;
  make: string;
  model: string;
  engineCc: number;
}

export function expandBikes(catalog: CatalogImportBody): ExpandedBike[] {
  return catalog.bikes.flatMap((b) => yearsIn(b.years).map((year) => ({ year, make: b.make, model: b.model, engineCc: b.engineCc })));
}

export interface ExpandedFitment {
  sku: string;
  year: number;
  make: string;
  model: string;
  source: FitmentSource;
}

/** One row per (part, bike-year) the import publishes fitment for, deduplicated as the event log does. */
export function expandFitment(catalog: CatalogImportBody): ExpandedFitment[] {
  const seen = new Map<string, ExpandedFitment>();
  for (const row of catalog.fitment) {
    for (const year of yearsIn(row.years)) {
      const key = JSON.stringify([row.sku, year, row.make, row.model]);
      if (!seen.has(key)) seen.set(key, { sku: row.sku, year, make: row.make, model: row.model, source: row.source });
    }
  }
  return [...seen.values()];
}

export function yearsIn([from, to]: [number, number]): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
