import { isPlatformBrowser } from '@angular/common';
import { effect, inject, Injectable, Injector, PLATFORM_ID, untracked } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { Bike, Me, RiderPreferencesChange } from '../api/api-types';
import { SessionApi } from '../api/session.api';
import { SessionStore } from '../session/session.store';
import { Garage } from './garage';
import { RiderRegion } from './rider-region';

type GarageBike = Pick<Bike, 'id' | 'slug' | 'year' | 'make' | 'model' | 'trim'>;

/**
 * Keeps the signed-in rider's region and garage bike on the account (PUT /api/me/rider-preferences,
 * recorded as events) as well as in this device's cookies. On sign-in the account wins and the
 * cookies are rewritten from it; what the account lacks is filled in from this device. Later
 * choices go to both. Browser only: the server render reads the cookies it was sent.
 */
@Injectable({ providedIn: 'root' })
export class RiderAccountSync {
  private readonly session = inject(SessionStore);
  private readonly sessionApi = inject(SessionApi);
  private readonly region = inject(RiderRegion);
  private readonly garage = inject(Garage);
  private readonly injector = inject(Injector);
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  private adoptedFor: string | null = null;

  start(): void {
    effect(
      () => {
        const me = this.session.me();
        untracked(() => this.adopt(me));
      },
      { injector: this.injector },
    );
  }

  chooseRegion(code: string): void {
    if (this.region.choose(code)) this.save({ region: this.region.regionCode() });
  }

  chooseBike(bike: GarageBike): void {
    if (this.garage.bike()?.id === bike.id) return;
    this.garage.choose(bike);
    this.save({ garageBikeId: bike.id });
  }

  forgetBike(): void {
    this.garage.forget();
    this.save({ garageBikeId: null });
  }

  private adopt(me: Me | null): void {
    if (!me) {
      this.adoptedFor = null;
      return;
    }
    if (this.adoptedFor === me.id) return;
    this.adoptedFor = me.id;
    const missing: RiderPreferencesChange = {};
    if (me.region) this.region.choose(me.region);
    else if (this.region.chosenOnThisDevice()) missing.region = this.region.regionCode();
    if (me.garageBike) this.garage.choose(me.garageBike);
    else if (this.garage.bike()) missing.garageBikeId = this.garage.bike()!.id;
    if (missing.region !== undefined || missing.garageBikeId !== undefined) this.save(missing, true);
  }

  /** The cookie already holds the choice; the account copy is best effort and retried at the next choice. */
  private save(change: RiderPreferencesChange, signedInKnown = false): void {
    if (!this.browser || (!signedInKnown && !this.session.me())) return;
    firstValueFrom(this.sessionApi.updateRiderPreferences(change)).catch((error: unknown) =>
      console.warn('Could not save the region or garage bike on the account', error),
    );
  }
}
