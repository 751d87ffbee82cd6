import { ChangeDetectionStrategy, Component } from '@angular/core';

/** FTC disclosure, required beside every purchase link (DESIGN §8); the wording is fixed. */
export const AFFILIATE_DISCLOSURE =
  "We earn a commission from purchases. This doesn't affect our compatibility data.";

@Component({
  selector: 'app-affiliate-disclosure',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<p class="disclosure" role="note">{{ text }}</p>`,
})
export class AffiliateDisclosure {
  protected readonly text = AFFILIATE_DISCLOSURE;
}
