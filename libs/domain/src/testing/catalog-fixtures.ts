import { bikeIdFor, partIdFor, retailerIdFor } from '../identity/deterministic-ids.js';

export const MT07 = { year: 2021, make: 'Yamaha', model: 'MT-07' } as const;
export const MT07_ID = bikeIdFor(MT07.year, MT07.make, MT07.model);

export const SLIP_ON = { sku: 'S-Y7SO3-HAPT', brand: 'Akrapovič', name: 'Slip-On Line (Titanium)', category: 'exhaust' } as const;
export const SLIP_ON_ID = partIdFor(SLIP_ON.sku);
export const FULL_SYSTEM_ID = partIdFor('S-Y7R2-HAFT');
export const BRAKE_PADS_ID = partIdFor('FA252HH');

export const REVZILLA = { name: 'RevZilla', baseUrl: 'https://www.revzilla.com/' } as const;
export const REVZILLA_ID = retailerIdFor(REVZILLA.name);

export const RIDER = 'user-rider-1';
export const OTHER_RIDER = 'user-rider-2';
export const MODERATOR = 'user-moderator-1';

export const VERIFICATION_1 = '5b0f3c52-7d1e-4c8e-9a51-3f1f3b9a0c01';
export const VERIFICATION_2 = '5b0f3c52-7d1e-4c8e-9a51-3f1f3b9a0c02';
export const VERIFICATION_3 = '5b0f3c52-7d1e-4c8e-9a51-3f1f3b9a0c03';

export const BUILD_ID = '8e2f6a10-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
