export interface RegisterRetailer {
  type: 'RegisterRetailer';
  /** Must be `retailerIdFor(name)`. */
  retailerId: string;
  name: string;
  baseUrl: string;
  affiliateProgram?: string | undefined;
}

export type RetailerCommand = RegisterRetailer;
