import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { RiderAccountSync } from '../../core/rider/rider-account-sync';
import { RiderRegion } from '../../core/rider/rider-region';
import { Router, RouterLink } from '@angular/router';
import { BikePartRow, COMPATIBILITY_STATUSES, CompatibilityStatus } from '../../core/api/api-types';
import { BIKE_PART_SORTS, BikePartSort, BikePartsQuery, BikesApi } from '../../core/api/bikes.api';
import { httpStatusOf } from '../../core/http/http-errors';
import { PageMeta } from '../../core/seo/page-meta';
import { AgePipe, BikeTitlePipe, CategoryPipe, MoneyPipe } from '../../shared/formatting';
import { NotFoundView } from '../../shared/not-found-view';
import { categoryLabel, PART_CATEGORY_LABELS } from '../../shared/part-categories';
import { STATUS_LABELS, StatusBadge } from '../../shared/status-badge';
import { PageLinks, pageNumbers } from '../../shared/page-links';
import { BuildCollector } from '../builds/collect/build-collector';
import { BuildTargetPicker } from '../builds/collect/build-target-picker';
import { AddPartButton } from '../builds/collect/add-part-button';

const PAGE_SIZE = 50;

/** /bikes/:slug: compatible parts grouped by category; every filter lives in the URL query. */
@Component({
  selector: 'app-bike-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, StatusBadge, MoneyPipe, AgePipe, CategoryPipe, BikeTitlePipe, NotFoundView, PageLinks, BuildTargetPicker, AddPartButton],
  providers: [BuildCollector],
  templateUrl: './bike.page.html',
  styleUrl: './bike.page.css',
})
export class BikePage {
  private readonly bikesApi = inject(BikesApi);
  private readonly router = inject(Router);
  private readonly pageMeta = inject(PageMeta);

  readonly slug = input.required<string>();
  readonly category = input<string>();
  readonly brand = input<string>();
  readonly status = input<string>();
  /** Prices in the URL are whole currency units (`maxPrice=200`); the API takes cents. */
  readonly minPrice = input<string>();
  readonly maxPrice = input<string>();
  readonly sort = input<string>();
  readonly page = input<string>();

  protected readonly riderCurrency = inject(RiderRegion).currency;
  private readonly accountSync = inject(RiderAccountSync);
  /** Phones show the filters behind a button; wide screens always show them (CSS). */
  protected readonly filtersOpen = signal(false);
  protected readonly statuses = COMPATIBILITY_STATUSES.map((key) => ({ key, label: STATUS_LABELS[key] }));
  protected readonly currentPage = computed(() => Math.max(1, Number(this.page()) || 1));

  private readonly query = computed<BikePartsQuery>(() => ({
    category: this.category() || undefined,
    brand: this.brand() || undefined,
    status: COMPATIBILITY_STATUSES.includes(this.status() as CompatibilityStatus)
      ? (this.status() as CompatibilityStatus)
      : undefined,
    minPrice: unitsToCents(this.minPrice()),
    maxPrice: unitsToCents(this.maxPrice()),
    sort: BIKE_PART_SORTS.includes(this.sort() as BikePartSort) ? (this.sort() as BikePartSort) : undefined,
    page: this.currentPage(),
    limit: PAGE_SIZE,
  }));

  protected readonly parts = this.bikesApi.partsResource(() => ({ bike: this.slug(), query: this.query() }));
  protected readonly result = computed(() => (this.parts.hasValue() ? this.parts.value() : null));
  protected readonly notFound = computed(() => httpStatusOf(this.parts.error()) === 404);
  protected readonly failed = computed(() => !!this.parts.error() && !this.notFound());
  protected readonly heading = computed(() => {
    const bike = this.result()?.bike;
    return bike ? `${bike.year} ${bike.make} ${bike.model} compatible parts` : '';
  });

  protected readonly groups = computed(() => {
    const byCategory = new Map<string, BikePartRow[]>();
    for (const row of this.result()?.items ?? []) {
      const rows = byCategory.get(row.part.category) ?? [];
      rows.push(row);
      byCategory.set(row.part.category, rows);
    }
    return [...byCategory].map(([category, rows]) => ({ category, rows }));
  });

  protected readonly categoryOptions = computed(() => {
    const facet = this.result()?.facets['category'];
    if (facet?.length) return facet.map((entry) => ({ key: entry.value, label: `${categoryLabel(entry.value)} (${entry.count})` }));
    return Object.entries(PART_CATEGORY_LABELS).map(([key, label]) => ({ key, label }));
  });
  protected readonly brandOptions = computed(() => this.result()?.facets['brand'] ?? []);
  protected readonly pages = computed(() => pageNumbers(this.result()?.total ?? 0, PAGE_SIZE));
  protected readonly hasFilters = computed(
    () => !!(this.category() || this.brand() || this.status() || this.minPrice() || this.maxPrice()),
  );

  constructor() {
    effect(() => {
      const result = this.result();
      if (result) {
        const bike = result.bike;
        // Opening a bike's page makes it the rider's current bike (the garage, and the account's).
        untracked(() => this.accountSync.chooseBike(bike));
        this.pageMeta.set({
          title: this.heading(),
          bareTitle: true,
          description: `${result.total} parts checked against the ${bike.year} ${bike.make} ${bike.model}: verified and community-confirmed fitment, with the best price at each retailer.`,
          canonicalPath: `/bikes/${bike.slug}`,
        });
      } else if (this.notFound()) {
        this.pageMeta.set({ title: 'Bike not found', description: 'We have no such bike.', noIndex: true });
      }
    });
  }

  protected applyFilters(event: Event, form: HTMLFormElement): void {
    event.preventDefault();
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim() || null;
    void this.router.navigate(['/bikes', this.slug()], {
      queryParams: {
        category: value('category'),
        brand: value('brand'),
        status: value('status'),
        minPrice: value('minPrice'),
        maxPrice: value('maxPrice'),
        sort: value('sort'),
        page: null,
      },
    });
  }
}

function unitsToCents(value: string | undefined): number | undefined {
  const units = Number(value);
  return value && Number.isFinite(units) && units >= 0 ? Math.round(units * 100) : undefined;
}
