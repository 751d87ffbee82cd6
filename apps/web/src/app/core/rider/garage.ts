import { computed, inject, Injectable, signal } from '@angular/core';
import { Bike } from '../api/api-types';
import { RiderCookies } from './rider-cookies';

export const GARAGE_COOKIE = 'mpp_bike';

type GarageBike = Pick<Bike, 'id' | 'slug' | 'year' | 'make' | 'model' | 'trim'>;

/**
 * The rider's current bike, remembered in a cookie across pages and reloads: the home picker
 * starts on it, part pages and search say whether a part fits it, a new build starts on it.
 */
@Injectable({ providedIn: 'root' })
export class Garage {
  private readonly cookies = inject(RiderCookies);
  private readonly current = signal<GarageBike | null>(parseBike(this.cookies.read(GARAGE_COOKIE)));

  readonly bike = this.current.asReadonly();
  readonly hasBike = computed(() => this.current() !== null);

  choose(bike: Bike | GarageBike): void {
    const kept: GarageBike = { id: bike.id, slug: bike.slug, year: bike.year, make: bike.make, model: bike.model, trim: bike.trim ?? null };
    this.cookies.write(GARAGE_COOKIE, JSON.stringify(kept));
    this.current.set(kept);
  }

  forget(): void {
    this.cookies.write(GARAGE_COOKIE, null);
    this.current.set(null);
  }
}

/** A cookie is input from outside: anything but the expected shape counts as no bike. */
function parseBike(raw: string | null): GarageBike | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<GarageBike>;
    if (typeof value.id !== 'string' || typeof value.slug !== 'string' || typeof value.year !== 'number') return null;
    if (typeof value.make !== 'string' || typeof value.model !== 'string') return null;
    return { id: value.id, slug: value.slug, year: value.year, make: value.make, model: value.model, trim: typeof value.trim === 'string' ? value.trim : null };
  } catch {
    return null;
  }
}
