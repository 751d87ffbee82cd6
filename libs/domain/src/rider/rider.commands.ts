/** A signed-in rider sets their region and/or garage bike; an absent field is left as it is. */
export interface ChangeRiderPreferences {
  type: 'ChangeRiderPreferences';
  userId: string;
  region?: string;
  /** null empties the garage. */
  garageBikeId?: string | null;
}

export type RiderCommand = ChangeRiderPreferences;
