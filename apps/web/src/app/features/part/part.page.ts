import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { Bike, PartDetail, VerificationAccepted } from '../../core/api/api-types';
import { Garage } from '../../core/rider/garage';
import { SessionStore } from '../../core/session/session.store';
import { FitForBike } from '../../shared/fit-for-bike';
import { PartsApi } from '../../core/api/parts.api';
import { SITE_CONFIG } from '../../core/config/site-config';
import { describeHttpError, httpStatusOf } from '../../core/http/http-errors';
import { PageMeta } from '../../core/seo/page-meta';
import { bikeTitle, BikeTitlePipe, CategoryPipe } from '../../shared/formatting';
import { NotFoundView } from '../../shared/not-found-view';
import { StatusBadge } from '../../shared/status-badge';
import { PriceHistoryChart } from './price-history-chart';
import { PriceTable } from './price-table';
import { VerificationTrail } from './verification-trail';
import { VerifiedFit, VerifyFitForm } from './verify-fit-form';
import { AddToBuild } from './add-to-build';
import { PriceAlertPanel } from './price-alert-panel';
import { partAttributeLines } from './part-attributes';

/** /parts/:slug: prices per retailer, price history, the bikes it fits, the audit trail, the verify form. */
@Component({
  selector: 'app-part-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    StatusBadge,
    BikeTitlePipe,
    CategoryPipe,
    NotFoundView,
    PriceTable,
    PriceHistoryChart,
    VerificationTrail,
    VerifyFitForm,
    FitForBike,
    AddToBuild,
    PriceAlertPanel,
  ],
  templateUrl: './part.page.html',
  styleUrl: './part.page.css',
})
export class PartPage {
  private readonly partsApi = inject(PartsApi);
  private readonly pageMeta = inject(PageMeta);
  private readonly site = inject(SITE_CONFIG);

  readonly slug = input.required<string>();
  /** `?bike=` the bike page the rider came from: highlighted and preselected in the verify form. */
  readonly bike = input<string>();

  protected readonly partResource = this.partsApi.partResource(() => this.slug());
  protected readonly part = computed(() => (this.partResource.hasValue() ? this.partResource.value() : null));
  protected readonly details = computed(() => partAttributeLines(this.part()?.attributes));
  private readonly partId = computed(() => this.part()?.id);
  protected readonly history = this.partsApi.priceHistoryResource(() => this.partId());
  protected readonly verifications = this.partsApi.verificationsResource(() => this.partId());

  protected readonly notFound = computed(() => httpStatusOf(this.partResource.error()) === 404);
  protected readonly failed = computed(() => !!this.partResource.error() && !this.notFound());
  protected readonly fittedBikes = computed(() => this.part()?.fitment.map((row) => row.bike) ?? []);
  /** The garage bike, unless the rider came from another bike's page (`?bike=`). */
  protected readonly garageBike = inject(Garage).bike;
  protected readonly riderBikeId = computed(() => {
    const fromPage = this.part()?.fitment.find((row) => row.bike.slug === this.bike())?.bike.id;
    return fromPage ?? (this.bike() ? null : this.garageBike()?.id ?? null);
  });
  /** "Fits / does not fit / no data for your <bike>": the existing compatibility read for the garage bike. */
  protected readonly garageFit = this.partsApi.compatibilityResource(() => {
    const partId = this.partId();
    const bike = this.garageBike();
    return partId && bike ? { partId, bikeId: bike.id } : undefined;
  });
  /** Bikes named in verifications the rider added from "my bike is not in the list" are not in the fit list. */
  private readonly extraBikes = signal<Bike[]>([]);
  protected readonly trailBikes = computed(() => {
    const garage = this.garageBike();
    const all = [...this.fittedBikes(), ...this.extraBikes(), ...(garage ? [{ ...garage, engineCc: null }] : [])];
    return all.filter((bike, index) => all.findIndex((other) => other.id === bike.id) === index);
  });
  private readonly session = inject(SessionStore);
  protected readonly mine = this.partsApi.myVerificationsResource(() => (this.session.me() ? this.partId() : undefined));
  protected readonly retractable = computed(
    () => new Set((this.mine.hasValue() ? this.mine.value().items : []).filter((row) => row.lifecycle === 'active').map((row) => row.verificationId)),
  );
  protected readonly retailers = computed(() => this.part()?.prices.map((price) => price.retailer) ?? []);
  /** A tyre can fit 145 bikes: past a screenful the list is filtered by what the rider types. */
  protected readonly fitmentPageSize = 12;
  protected readonly fitmentFilter = signal('');
  protected readonly shownFitment = computed(() => {
    const words = this.fitmentFilter().trim().toLowerCase().split(/\s+/).filter(Boolean);
    const rows = (this.part()?.fitment ?? []).filter((row) => {
      const title = bikeTitle(row.bike).toLowerCase();
      return words.every((word) => title.includes(word));
    });
    const riderFirst = [...rows].sort((a, b) => Number(b.bike.id === this.riderBikeId()) - Number(a.bike.id === this.riderBikeId()));
    return { rows: riderFirst.slice(0, this.fitmentPageSize), matching: rows.length };
  });
  protected readonly newVerificationId = signal<string | null>(null);
  protected readonly trailMessage = signal<string | null>(null);

  constructor() {
    effect(() => {
      const part = this.part();
      if (part) {
        this.pageMeta.set({
          title: `${part.brand} ${part.name}`,
          description:
            part.description?.slice(0, 160) ||
            `${part.brand} ${part.name}: which motorcycles it fits, why we believe it, and prices at every retailer.`,
          canonicalPath: `/parts/${part.slug}`,
          jsonLd: this.productJsonLd(part),
        });
      } else if (this.notFound()) {
        this.pageMeta.set({ title: 'Part not found', description: 'We have no such part.', noIndex: true });
      }
    });
  }

  /** Read-your-writes: ask for the trail as of the new event's position so the rider sees it at once. */
  protected async showNewVerification({ accepted, bike }: VerifiedFit): Promise<void> {
    if (!this.trailBikes().some((known) => known.id === bike.id)) this.extraBikes.update((bikes) => [...bikes, bike]);
    this.newVerificationId.set(accepted.verificationId);
    await this.rereadAfter(accepted, 'Your verification was saved; reload to see it in the trail.');
  }

  protected async retract(verificationId: string): Promise<void> {
    this.trailMessage.set(null);
    try {
      const accepted = await firstValueFrom(this.partsApi.retractVerification(verificationId, crypto.randomUUID()));
      this.newVerificationId.set(null);
      await this.rereadAfter(accepted, 'Your verification was retracted; reload to see it in the trail.');
      this.trailMessage.set('Your verification was retracted.');
    } catch (error) {
      this.trailMessage.set(describeHttpError(error, 'Your verification could not be retracted. Please try again.'));
    }
  }

  /** Read-your-writes: the trail, the fit list and the rider's own rows as of the new event. */
  private async rereadAfter(accepted: VerificationAccepted, failure: string): Promise<void> {
    const part = this.part();
    if (!part) return;
    try {
      const [audit, detail, mine] = await Promise.all([
        firstValueFrom(this.partsApi.verificationsAfter(part.id, accepted.position)),
        firstValueFrom(this.partsApi.partAfter(part.id, accepted.position)),
        firstValueFrom(this.partsApi.myVerificationsAfter(part.id, accepted.position)),
      ]);
      this.verifications.set(audit);
      this.partResource.set(detail);
      this.mine.set(mine);
      this.garageFit.reload();
      this.trailMessage.set(null);
    } catch (error) {
      this.trailMessage.set(describeHttpError(error, failure));
    }
  }

  private productJsonLd(part: PartDetail): object {
    const base = this.site.publicBaseUrl;
    return {
      '@context': 'https://schema.org',
      '@type': 'Product',
      name: `${part.brand} ${part.name}`,
      sku: part.sku,
      brand: { '@type': 'Brand', name: part.brand },
      category: part.category,
      ...(part.description ? { description: part.description } : {}),
      url: `${base}/parts/${part.slug}`,
      offers: part.prices.map((price) => ({
        '@type': 'Offer',
        price: (price.priceCents / 100).toFixed(2),
        priceCurrency: price.currency,
        availability: price.inStock ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock',
        url: `${base}/go/${part.id}/${price.retailer.id}`,
        seller: { '@type': 'Organization', name: price.retailer.name },
      })),
    };
  }
}
