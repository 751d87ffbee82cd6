import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { Garage } from '../../core/rider/garage';
import { RiderRegion } from '../../core/rider/rider-region';
import { FitForBike } from '../../shared/fit-for-bike';
import { Router, RouterLink } from '@angular/router';
import { COMPATIBILITY_STATUSES, CompatibilityStatus, FacetValue } from '../../core/api/api-types';
import { SearchApi, SearchQuery } from '../../core/api/search.api';
import { PageMeta } from '../../core/seo/page-meta';
import { CategoryPipe, MoneyPipe } from '../../shared/formatting';
import { PageLinks, pageNumbers } from '../../shared/page-links';
import { BuildCollector } from '../builds/collect/build-collector';
import { BuildTargetPicker } from '../builds/collect/build-target-picker';
import { AddPartButton } from '../builds/collect/add-part-button';
import { categoryLabel } from '../../shared/part-categories';
import { STATUS_LABELS, StatusBadge } from '../../shared/status-badge';

const PAGE_SIZE = 20;

/** /search?q=: server-rendered results, facets as links, every filter in the URL. */
@Component({
  selector: 'app-search-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MoneyPipe, CategoryPipe, StatusBadge, PageLinks, FitForBike, BuildTargetPicker, AddPartButton],
  providers: [BuildCollector],
  templateUrl: './search.page.html',
  styleUrl: './search.page.css',
})
export class SearchPage {
  private readonly searchApi = inject(SearchApi);
  private readonly router = inject(Router);
  private readonly pageMeta = inject(PageMeta);

  readonly q = input<string>();
  readonly bikeId = input<string>();
  readonly category = input<string>();
  readonly brand = input<string>();
  readonly status = input<string>();
  /** `fits=1`: only the parts that fit the garage bike (or the bike in the URL). */
  readonly fits = input<string>();
  readonly minPrice = input<string>();
  readonly maxPrice = input<string>();
  readonly sort = input<string>();
  readonly page = input<string>();

  /** The garage bike answers "does it fit mine?" on every hit unless the URL names another bike. */
  protected readonly garageBike = inject(Garage).bike;
  protected readonly fitBike = computed(() => (this.bikeId() ? null : this.garageBike()));
  protected readonly riderCurrency = inject(RiderRegion).currency;
  protected readonly filtersOpen = signal(false);
  /** The bike "fits my bike" refers to: the one in the URL, else the garage bike. */
  protected readonly fitsOnly = computed(() => this.fits() === '1' && !!(this.bikeId() || this.garageBike()));
  protected readonly currentPage = computed(() => Math.max(1, Number(this.page()) || 1));
  protected readonly query = computed<SearchQuery | undefined>(() => {
    const q = (this.q() ?? '').trim();
    if (!q && !this.category() && !this.brand()) return undefined;
    const status = this.status() as CompatibilityStatus;
    return {
      q,
      bikeId: this.bikeId() || this.garageBike()?.id || undefined,
      category: this.category() || undefined,
      brand: this.brand() || undefined,
      status: COMPATIBILITY_STATUSES.includes(status) ? status : undefined,
      fits: this.fitsOnly() || undefined,
      minPrice: unitsToCents(this.minPrice()),
      maxPrice: unitsToCents(this.maxPrice()),
      sort: this.sort() || undefined,
      page: this.currentPage(),
      limit: PAGE_SIZE,
    };
  });
  protected readonly results = this.searchApi.searchResource(() => this.query());
  protected readonly found = computed(() => (this.results.hasValue() ? this.results.value() : null));
  protected readonly pages = computed(() => pageNumbers(this.found()?.total ?? 0, PAGE_SIZE));
  protected readonly facetGroups = computed(() => {
    const facets = this.found()?.facets;
    return (['category', 'brand', 'status'] as const)
      .map((name) => ({ name, title: FACET_TITLES[name], values: facets?.[name] ?? [] }))
      .filter((group) => group.values.length > 0);
  });
  protected readonly activeFilters = computed(() =>
    (['category', 'brand', 'status'] as const)
      .map((name) => ({ name, value: this[name]() }))
      .filter((filter): filter is { name: 'category' | 'brand' | 'status'; value: string } => !!filter.value),
  );

  constructor() {
    effect(() => {
      const q = (this.q() ?? '').trim();
      const category = this.category();
      const subject = q ? `“${q}”` : category ? categoryLabel(category) : 'parts';
      this.pageMeta.set({
        title: q || category ? `Search: ${subject}` : 'Search parts',
        description: `Motorcycle parts matching ${subject}, with fit status and the best price at each retailer.`,
        canonicalPath: '/search',
        noIndex: !!q,
      });
    });
  }

  protected facetLabel(name: string, facet: FacetValue): string {
    if (name === 'category') return categoryLabel(facet.value);
    if (name === 'status') return STATUS_LABELS[facet.value as CompatibilityStatus] ?? facet.value;
    return facet.value;
  }

  protected isActive(name: 'category' | 'brand' | 'status', value: string): boolean {
    return this[name]() === value;
  }

  /** Query params that set (or, with null, remove) one filter and go back to the first page. */
  protected filterParams(name: 'category' | 'brand' | 'status', value: string | null): Record<string, string | null> {
    return { [name]: value, page: null };
  }

  protected submit(event: Event, value: string): void {
    event.preventDefault();
    void this.router.navigate(['/search'], {
      queryParams: { q: value.trim() || null, page: null },
      queryParamsHandling: 'merge',
    });
  }
}

const FACET_TITLES = { category: 'Category', brand: 'Brand', status: 'Fit status' } as const;

function unitsToCents(value: string | undefined): number | undefined {
  const units = Number(value);
  return value && Number.isFinite(units) && units >= 0 ? Math.round(units * 100) : undefined;
}
