import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { VerificationsApi } from '../../core/api/verifications.api';
import { Garage } from '../../core/rider/garage';
import { PageMeta } from '../../core/seo/page-meta';
import { BikePicker } from '../../shared/bike-picker';
import { AgePipe, BikeTitlePipe } from '../../shared/formatting';
import { PART_CATEGORY_LABELS } from '../../shared/part-categories';

/** Home: the year -> make -> model cascade, a search box and the latest community verifications. */
const RECENT_VERIFICATIONS = 6;

@Component({
  selector: 'app-home-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [BikePicker, RouterLink, AgePipe, BikeTitlePipe],
  templateUrl: './home.page.html',
  styleUrl: './home.page.css',
})
export class HomePage {
  private readonly router = inject(Router);
  protected readonly garageBike = inject(Garage).bike;
  protected readonly recent = inject(VerificationsApi).recentResource(RECENT_VERIFICATIONS);
  protected readonly popularCategories = [
    'exhaust',
    'brake-pads',
    'tyres',
    'chain-sprocket-kits',
    'frame-sliders',
    'windscreens',
    'luggage-racks',
    'air-filters',
  ].map((key) => ({ key, label: PART_CATEGORY_LABELS[key] }));

  constructor() {
    inject(PageMeta).set({
      title: 'MotoPartPicker',
      description:
        'Find motorcycle parts that fit your bike: compatibility backed by auditable rider verifications, and prices at every retailer.',
      canonicalPath: '/',
    });
  }

  /** With JavaScript the search stays in the app; without it, the form's GET action does the same. */
  protected search(event: Event, query: string): void {
    event.preventDefault();
    void this.router.navigate(['/search'], { queryParams: { q: query.trim() || null } });
  }
}
