/**
 * The catalog the full-stack browser suite imports through the real admin routes: one bike over two
 * model years, two exhausts known to fit it (so a build holding both shows the single-slot
 * warning), brake pads, and two retailers with prices.
 */
export const FULL_STACK_CATALOG = {
  bikes: [{ make: 'Yamaha', model: 'MT-07', years: [2021, 2022] as [number, number], engineCc: 689 }],
  parts: [
    {
      sku: 'S-Y7SO2-HAPT',
      brand: 'Akrapovic',
      name: 'Slip-On Line (Titanium)',
      category: 'exhaust',
      description: 'Titanium slip-on muffler with carbon end cap.',
    },
    { sku: 'YOSH-MT07-R77', brand: 'Yoshimura', name: 'R-77 Full System', category: 'exhaust' },
    { sku: 'FA252HH', brand: 'EBC', name: 'HH Sintered Brake Pads', category: 'brake-pads' },
  ],
  retailers: [
    { name: 'RevZilla', baseUrl: 'https://www.revzilla.com' },
    { name: 'Cycle Gear', baseUrl: 'https://www.cyclegear.com' },
  ],
  fitment: [
    { sku: 'S-Y7SO2-HAPT', make: 'Yamaha', model: 'MT-07', years: [2021, 2022] as [number, number], source: 'manufacturer' as const },
    { sku: 'YOSH-MT07-R77', make: 'Yamaha', model: 'MT-07', years: [2021, 2022] as [number, number], source: 'retailer' as const },
    { sku: 'FA252HH', make: 'Yamaha', model: 'MT-07', years: [2021, 2021] as [number, number], source: 'manufacturer' as const },
  ],
};

export const FULL_STACK_BIKE_SLUG = '2021-yamaha-mt-07';
export const FULL_STACK_EXHAUST = { slug: 'akrapovic-slip-on-line-titanium', name: 'Slip-On Line (Titanium)', sku: 'S-Y7SO2-HAPT' };
