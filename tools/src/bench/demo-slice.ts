import { DEMO_CATALOG, type CatalogImportBody } from '../demo/demo-catalog.js';

/** The demo catalog cut down to some models (their parts, fitment and every retailer), so a smoke run seeds in seconds. */
export function demoCatalogSlice(models: CatalogImportBody['bikes']): CatalogImportBody {
  const fitment = DEMO_CATALOG.fitment.filter((f) => models.some((m) => m.make === f.make && m.model === f.model));
  const skus = new Set(fitment.map((f) => f.sku));
  return { bikes: models, parts: DEMO_CATALOG.parts.filter((p) => skus.has(p.sku)), retailers: DEMO_CATALOG.retailers, fitment };
}
