export interface RegisterBike {
  type: 'RegisterBike';
  /** Must be `bikeIdFor(year, make, model, trim)`: a bike is identified by what it is. */
  bikeId: string;
  year: number;
  make: string;
  model: string;
  trim?: string | undefined;
  engineCc?: number | undefined;
}

export type BikeCommand = RegisterBike;
