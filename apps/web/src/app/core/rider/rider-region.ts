import { computed, inject, Injectable, makeStateKey, signal, TransferState } from '@angular/core';
import { RiderCookies } from './rider-cookies';
import { regionByCode, regionFromLanguages, REGIONS } from './regions';

export const REGION_COOKIE = 'mpp_region';
const REGION_STATE_KEY = makeStateKey<string>('rider-region');

/**
 * Where the rider shops: chosen in the header, remembered in a cookie, defaulted from
 * Accept-Language. The server's answer travels in TransferState so hydration never disagrees with
 * the HTML it received.
 */
@Injectable({ providedIn: 'root' })
export class RiderRegion {
  private readonly cookies = inject(RiderCookies);
  private readonly transfer = inject(TransferState);
  private readonly code = signal(this.initial());

  readonly regions = REGIONS;
  readonly region = computed(() => regionByCode(this.code()) ?? REGIONS[0]);
  /** The ISO 3166-1 alpha-2 code every price-bearing API read carries as `region`. */
  readonly regionCode = computed(() => this.region().code);
  readonly currency = computed(() => this.region().currency);

  /** Returns whether the code was one we serve (and so was taken). */
  choose(code: string): boolean {
    const region = regionByCode(code);
    if (!region) return false;
    this.cookies.write(REGION_COOKIE, region.code);
    this.code.set(region.code);
    return true;
  }

  /** Whether this device has a region chosen in its cookie (rather than guessed from its languages). */
  chosenOnThisDevice(): boolean {
    return regionByCode(this.cookies.read(REGION_COOKIE)) !== undefined;
  }

  private initial(): string {
    const fromCookie = regionByCode(this.cookies.read(REGION_COOKIE))?.code;
    const code = fromCookie ?? this.transfer.get(REGION_STATE_KEY, '') ?? '';
    const resolved = code || regionFromLanguages(this.cookies.languages());
    this.transfer.set(REGION_STATE_KEY, resolved);
    return resolved;
  }
}
