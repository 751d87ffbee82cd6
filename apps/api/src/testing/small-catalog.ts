import { bikeIdFor, partIdFor, retailerIdFor } from '@mpp/domain';

/** A tiny catalog for API tests: two model years of one bike, two parts, one retailer, one official fitment. */
export const SMALL_CATALOG = {
  bikes: [{ make: 'Yamaha', model: 'MT-07', years: [2021, 2022] as [number, number], engineCc: 689 }],
  parts: [
    { sku: 'AK-MT07-SO', brand: 'Akrapovic', name: 'Slip-On Line (Titanium)', category: 'exhaust' },
    { sku: 'FA252HH', brand: 'EBC', name: 'HH Sintered Brake Pads', category: 'brake-pads' },
  ],
  retailers: [{ name: 'RevZilla', baseUrl: 'https://www.revzilla.com' }],
  fitment: [{ sku: 'AK-MT07-SO', make: 'Yamaha', model: 'MT-07', years: [2021, 2022] as [number, number], source: 'manufacturer' as const }],
};

export const IDS = {
  mt07_2021: bikeIdFor(2021, 'Yamaha', 'MT-07'),
  mt07_2022: bikeIdFor(2022, 'Yamaha', 'MT-07'),
  exhaust: partIdFor('AK-MT07-SO'),
  pads: partIdFor('FA252HH'),
  revzilla: retailerIdFor('RevZilla'),
};
