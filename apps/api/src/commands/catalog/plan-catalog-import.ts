import { bikeIdFor, bikeIdentityKey, partIdFor, retailerIdFor, ValidationFailed, type FieldError, type FitmentSource } from '@mpp/domain';
import type { CatalogImportDto } from './catalog-import.dto.js';

const MAX_YEAR_SPAN = 100;

export interface PlannedBike {
  bikeId: string;
  year: number;
  make: string;
  model: string;
  trim?: string;
  engineCc?: number;
}

export interface PlannedFitment {
  partId: string;
  bikeId: string;
  source: FitmentSource;
  notes?: string;
  /** Where it came from, to name the row in an error. */
  field: string;
}

export interface CatalogImportPlan {
  bikes: PlannedBike[];
  parts: { partId: string; sku: string; brand: string; name: string; category: string; description?: string; attributes?: Record<string, string | number | boolean> }[];
  retailers: { retailerId: string; name: string; baseUrl: string; affiliateProgram?: string }[];
  fitment: PlannedFitment[];
  /** Fitment rows whose bike (no trim) is not in this body: they must already exist in the catalog. */
  externalBikes: Map<string, string>;
  /** Fitment rows whose part is not in this body: likewise. */
  externalParts: Map<string, string>;
}

function yearsOf(range: [number, number], field: string, errors: FieldError[]): number[] {
  const [from, to] = range;
  if (from > to) errors.push({ field, message: 'the first year must not be after the second' });
  else if (to - from >= MAX_YEAR_SPAN) errors.push({ field, message: `a range may span at most ${MAX_YEAR_SPAN} years` });
  else return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  return [];
}

/**
 * Turns an import body into the commands it stands for: year ranges expand to one bike per year,
 * ids derive from what things are (so a re-import targets the same streams), and fitment rows
 * resolve to every bike of that make, model and year in the body (all trims). Pure: the handler
 * checks the references this plan leaves to the existing catalog.
 */
export function planCatalogImport(body: CatalogImportDto): CatalogImportPlan {
  const errors: FieldError[] = [];
  const bikes = new Map<string, PlannedBike>();
  (body.bikes ?? []).forEach((bike, i) => {
    const years = bike.year !== undefined ? [bike.year] : yearsOf(bike.years!, `bikes.${i}.years`, errors);
    for (const year of years) {
      const bikeId = bikeIdFor(year, bike.make, bike.model, bike.trim);
      bikes.set(bikeId, { bikeId, year, make: bike.make, model: bike.model, trim: bike.trim, engineCc: bike.engineCc });
    }
  });

  const parts = new Map<string, CatalogImportPlan['parts'][number]>();
  for (const part of body.parts ?? []) {
    const partId = partIdFor(part.sku);
    parts.set(partId, { partId, ...part });
  }

  const retailers = new Map<string, CatalogImportPlan['retailers'][number]>();
  for (const retailer of body.retailers ?? []) {
    const retailerId = retailerIdFor(retailer.name);
    retailers.set(retailerId, { retailerId, ...retailer });
  }

  // All trims of a make+model+year in the body share one key.
  const bikesByKey = new Map<string, string[]>();
  for (const bike of bikes.values()) {
    const key = bikeIdentityKey({ year: bike.year, make: bike.make, model: bike.model });
    bikesByKey.set(key, [...(bikesByKey.get(key) ?? []), bike.bikeId]);
  }

  const fitment: PlannedFitment[] = [];
  const externalBikes = new Map<string, string>();
  const externalParts = new Map<string, string>();
  (body.fitment ?? []).forEach((row, i) => {
    const field = `fitment.${i}`;
    const partId = partIdFor(row.sku);
    if (!parts.has(partId)) externalParts.set(partId, `${field}.sku`);
    for (const year of yearsOf(row.years, `${field}.years`, errors)) {
      const inBody = bikesByKey.get(bikeIdentityKey({ year, make: row.make, model: row.model }));
      const bikeIds = inBody ?? [bikeIdFor(year, row.make, row.model)];
      if (!inBody) externalBikes.set(bikeIds[0], `${field}.years`);
      for (const bikeId of bikeIds) fitment.push({ partId, bikeId, source: row.source, notes: row.notes, field });
    }
  });

  if (errors.length > 0) throw ValidationFailed.of(errors);
  return { bikes: [...bikes.values()], parts: [...parts.values()], retailers: [...retailers.values()], fitment, externalBikes, externalParts };
}
