/** Where the adapter finds its tables: the public views (active generation) or one schema (bench, tests, a rebuild). */
export interface SearchTables {
  documents: string;
  vocabulary: string;
  /** Parts per (category, brand, status mask), kept by triggers on the documents. */
  facetCounts: string;
}

export function searchTables(schema?: string): SearchTables {
  const name = (table: string) => (schema ? `"${schema.replaceAll('"', '""')}"."${table}"` : `"${table}"`);
  return { documents: name('search_documents'), vocabulary: name('search_vocabulary'), facetCounts: name('search_facet_counts') };
}
