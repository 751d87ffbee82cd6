import type { PartCategory } from '@mpp/domain';

/**
 * Words the scale generator builds its catalog from. Real makes and models first, so the first
 * bikes of any plan look like a real catalog; beyond them model names are numbered series of the
 * same makes (unique by construction, since bike ids derive from year, make and model).
 */
export const REAL_MODELS: readonly (readonly [make: string, model: string, engineCc: number])[] = [
  ['Yamaha', 'MT-07', 689], ['Yamaha', 'MT-09', 890], ['Yamaha', 'Tenere 700', 689], ['Yamaha', 'YZF-R7', 689],
  ['Yamaha', 'Tracer 9 GT', 890], ['Honda', 'CB650R', 649], ['Honda', 'Africa Twin', 1084], ['Honda', 'Rebel 500', 471],
  ['Honda', 'CBR650R', 649], ['Honda', 'NC750X', 745], ['Kawasaki', 'Z900', 948], ['Kawasaki', 'Ninja 400', 399],
  ['Kawasaki', 'Versys 650', 649], ['Kawasaki', 'KLR650', 652], ['Suzuki', 'V-Strom 650', 645], ['Suzuki', 'SV650', 645],
  ['Suzuki', 'GSX-S1000', 999], ['Suzuki', 'DR650S', 644], ['KTM', '390 Duke', 373], ['KTM', '890 Adventure', 889],
  ['KTM', '1290 Super Duke R', 1301], ['KTM', '690 Enduro R', 693], ['BMW', 'R 1250 GS', 1254], ['BMW', 'S 1000 RR', 999],
  ['BMW', 'F 900 R', 895], ['BMW', 'R nineT', 1170], ['Ducati', 'Monster', 937], ['Ducati', 'Panigale V4', 1103],
  ['Ducati', 'Multistrada V4', 1158], ['Ducati', 'Scrambler Icon', 803], ['Triumph', 'Street Triple RS', 765],
  ['Triumph', 'Tiger 900', 888], ['Triumph', 'Bonneville T120', 1200], ['Triumph', 'Speed 400', 398],
  ['Harley-Davidson', 'Sportster S', 1252], ['Harley-Davidson', 'Street Glide', 1923], ['Harley-Davidson', 'Fat Bob', 1868],
  ['Harley-Davidson', 'Pan America 1250', 1252], ['Royal Enfield', 'Himalayan', 411], ['Royal Enfield', 'Interceptor 650', 648],
  ['Royal Enfield', 'Classic 350', 349], ['Royal Enfield', 'Meteor 350', 349],
];

export const MAKES = ['Yamaha', 'Honda', 'Kawasaki', 'Suzuki', 'KTM', 'BMW', 'Ducati', 'Triumph', 'Harley-Davidson', 'Royal Enfield'] as const;

/** Series letters per make for generated models, e.g. "Kawasaki ZX 412". */
export const SERIES = ['XR', 'CB', 'ZX', 'GS', 'RS', 'SX', 'TR', 'VT', 'FZ', 'DR', 'ST', 'MX'] as const;

export const TRIMS = ['ABS', 'SP', 'Pro', 'Rally', 'Touring', 'Sport'] as const;

/** How often riders buy each category (relative), how wide a part's fitment is, and a price range. */
export const CATEGORY_PROFILES: Readonly<Record<PartCategory, { share: number; breadth: number; priceCents: readonly [number, number] }>> = {
  exhaust: { share: 6, breadth: 0.5, priceCents: [25_000, 250_000] },
  'brake-pads': { share: 10, breadth: 2.5, priceCents: [2_500, 9_000] },
  'brake-rotors': { share: 4, breadth: 1.5, priceCents: [8_000, 45_000] },
  'chain-sprocket-kits': { share: 7, breadth: 1.5, priceCents: [9_000, 35_000] },
  tyres: { share: 9, breadth: 4, priceCents: [9_000, 30_000] },
  windscreens: { share: 5, breadth: 0.6, priceCents: [6_000, 25_000] },
  'frame-sliders': { share: 5, breadth: 0.5, priceCents: [5_000, 20_000] },
  'crash-bars': { share: 4, breadth: 0.5, priceCents: [15_000, 50_000] },
  'luggage-racks': { share: 4, breadth: 0.6, priceCents: [10_000, 60_000] },
  seats: { share: 3, breadth: 0.5, priceCents: [15_000, 70_000] },
  'air-filters': { share: 6, breadth: 1.2, priceCents: [2_000, 9_000] },
  'oil-filters': { share: 8, breadth: 4, priceCents: [800, 2_500] },
  levers: { share: 5, breadth: 1.5, priceCents: [4_000, 20_000] },
  mirrors: { share: 4, breadth: 3, priceCents: [3_000, 25_000] },
  lighting: { share: 4, breadth: 2.5, priceCents: [2_000, 40_000] },
  batteries: { share: 4, breadth: 4, priceCents: [5_000, 25_000] },
  'spark-plugs': { share: 5, breadth: 4, priceCents: [700, 2_500] },
  handlebars: { share: 2, breadth: 1.5, priceCents: [6_000, 25_000] },
  footpegs: { share: 2, breadth: 1.5, priceCents: [6_000, 30_000] },
  suspension: { share: 3, breadth: 0.6, priceCents: [40_000, 250_000] },
};

export const BRANDS: Readonly<Record<PartCategory, readonly string[]>> = {
  exhaust: ['Akrapovic', 'Yoshimura', 'SC-Project', 'Arrow', 'Leo Vince', 'Two Brothers', 'Termignoni'],
  'brake-pads': ['EBC', 'Brembo', 'Galfer', 'SBS', 'Ferodo', 'Vesrah'],
  'brake-rotors': ['Brembo', 'Galfer', 'EBC', 'Braking'],
  'chain-sprocket-kits': ['DID', 'RK', 'Regina', 'JT Sprockets', 'Renthal', 'Supersprox'],
  tyres: ['Michelin', 'Pirelli', 'Metzeler', 'Bridgestone', 'Dunlop', 'Continental'],
  windscreens: ['Puig', 'MRA', 'Givi', 'Ermax', 'Cee Bailey'],
  'frame-sliders': ['R&G', 'Womet-Tech', 'Puig', 'Shogun', 'GB Racing'],
  'crash-bars': ['SW-Motech', 'Givi', 'Hepco & Becker', 'Touratech', 'Barkbusters'],
  'luggage-racks': ['SW-Motech', 'Givi', 'Kriega', 'Hepco & Becker', 'Kappa'],
  seats: ['Corbin', 'Sargent', 'Saddlemen', 'Seat Concepts'],
  'air-filters': ['K&N', 'BMC', 'DNA', 'Twin Air', 'Hiflofiltro'],
  'oil-filters': ['Hiflofiltro', 'K&N', 'Champion', 'Mahle'],
  levers: ['ASV', 'Pazzo', 'CRG', 'Rizoma', 'Puig'],
  mirrors: ['Rizoma', 'CRG', 'Highsider', 'Puig'],
  lighting: ['Denali', 'Clearwater', 'Kellermann', 'Highsider', 'Philips'],
  batteries: ['Yuasa', 'Shorai', 'Antigravity', 'Varta'],
  'spark-plugs': ['NGK', 'Denso', 'Champion', 'Bosch'],
  handlebars: ['Renthal', 'ProTaper', 'ODI', 'LSL'],
  footpegs: ['Pazzo', 'Rizoma', 'Gilles Tooling', 'IMS'],
  suspension: ['Ohlins', 'Wilbers', 'YSS', 'Hyperpro', 'Nitron'],
};

export const PRODUCT_LINES: Readonly<Record<PartCategory, readonly string[]>> = {
  exhaust: ['Slip-On Line', 'Racing Line', 'Full System', 'GP Slip-On', 'Alpha T'],
  'brake-pads': ['HH Sintered', 'Organic', 'Double-H', 'Race', 'Road'],
  'brake-rotors': ['Wave Rotor', 'Floating Disc', 'Serie Oro', 'Pro-Lite'],
  'chain-sprocket-kits': ['X-Ring Kit', 'Z-Ring Kit', 'O-Ring Kit', 'Gold Kit'],
  tyres: ['Road 6', 'Angel GT II', 'Roadtec 01', 'Battlax T32', 'Mutant', 'Trail Attack 3'],
  windscreens: ['Touring Screen', 'Sport Screen', 'Racing Screen', 'Adventure Screen'],
  'frame-sliders': ['Aero Crash Protectors', 'Frame Sliders', 'No-Cut Sliders'],
  'crash-bars': ['Upper Crash Bars', 'Engine Guard', 'Crash Bar Set'],
  'luggage-racks': ['Top Case Rack', 'Side Carrier', 'Tail Rack', 'PRO Rack'],
  seats: ['Comfort Seat', 'Low Seat', 'Gel Seat', 'Touring Saddle'],
  'air-filters': ['Air Filter', 'Race Filter', 'High-Flow Filter'],
  'oil-filters': ['Oil Filter', 'Racing Oil Filter'],
  levers: ['Folding Lever Set', 'Short Lever Set', 'Adjustable Levers'],
  mirrors: ['Bar-End Mirrors', 'Folding Mirrors', 'Stealth Mirrors'],
  lighting: ['LED Headlight', 'Auxiliary Lights', 'LED Indicators', 'Tail Tidy Light'],
  batteries: ['AGM Battery', 'Lithium Battery', 'Gel Battery'],
  'spark-plugs': ['Iridium Plug', 'Laser Platinum', 'Standard Plug'],
  handlebars: ['Fatbar', 'Tapered Bar', 'Clip-Ons', 'Riser Bar'],
  footpegs: ['Rider Footpegs', 'Rearsets', 'Adventure Pegs'],
  suspension: ['Rear Shock', 'Fork Cartridge Kit', 'Progressive Springs'],
};

export const VARIANTS = ['Titanium', 'Carbon', 'Black', 'Stainless', 'Silver', 'Red', 'Gold', 'Street', 'Track', 'Touring'] as const;

export const MATERIALS = ['aluminium', 'steel', 'titanium', 'carbon fibre', 'nylon', 'rubber', 'stainless steel'] as const;

export const REAL_RETAILERS: readonly (readonly [name: string, baseUrl: string, currency: string, affiliateProgram?: string])[] = [
  ['RevZilla', 'https://www.revzilla.com', 'USD', 'cj'],
  ['Cycle Gear', 'https://www.cyclegear.com', 'USD', 'cj'],
  ['FortNine', 'https://fortnine.ca', 'CAD'],
  ['SportsBikeShop', 'https://www.sportsbikeshop.co.uk', 'GBP', 'awin'],
  ['Louis', 'https://www.louis.de', 'EUR', 'awin'],
  ['FC-Moto', 'https://www.fc-moto.de', 'EUR', 'awin'],
  ['Motostorm', 'https://www.motostorm.it', 'EUR'],
  ['Demon Tweeks', 'https://www.demon-tweeks.com', 'GBP'],
  ['Partzilla', 'https://www.partzilla.com', 'USD'],
  ['Bike Bandit', 'https://www.bikebandit.com', 'USD', 'cj'],
];

export const RETAILER_WORDS = ['Moto', 'Rider', 'Throttle', 'Apex', 'Torque', 'Redline', 'Twin', 'Trail'] as const;

export const VERIFICATION_NOTES = [
  'Bolted straight on, no modifications.',
  'Needed the supplied spacer on the left side.',
  'Fits, but the bracket touches the fairing at full lock.',
  'Had to trim the undertray slightly.',
  'Does not fit the ABS model: the sensor ring is in the way.',
  'Wrong thread pitch for this year.',
  'Perfect fit, 20 minutes with basic tools.',
  'Fits with the stock heat shield removed.',
] as const;

export const REFUTATION_NOTES = [
  'Does not fit: mounting holes are 8 mm off.',
  'Clashes with the stock exhaust hanger.',
  'The connector is different on this model year.',
] as const;

export const WITHDRAWAL_REASONS = ['Manufacturer corrected the application list', 'Superseded by a revised part number', 'Recalled'] as const;

export const MODERATION_REASONS = ['Spam link in notes', 'Duplicate account', 'Off-topic', 'Appeal upheld'] as const;

export const BUILD_NAMES = ['Touring setup', 'Track day', 'Daily commuter', 'Winter project', 'Adventure build', 'Cafe racer', 'First bike refresh'] as const;

export const BUILD_NOTES = ['Bought used', 'Waiting for a sale', 'Installed last weekend', 'Gift from my partner'] as const;
