import { ChangeDetectionStrategy, Component, inject, PendingTasks, PLATFORM_ID } from '@angular/core';
import { isPlatformBrowser } from '@angular/common';
import { RiderAccountSync } from './core/rider/rider-account-sync';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { Garage } from './core/rider/garage';
import { RiderRegion } from './core/rider/rider-region';
import { HeadingFocus } from './core/a11y/heading-focus';
import { LateScrollRestoration } from './core/navigation/late-scroll-restoration';
import { BikeTitlePipe } from './shared/formatting';
import { firstValueFrom } from 'rxjs';
import { SessionApi } from './core/api/session.api';
import { SessionStore } from './core/session/session.store';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, BikeTitlePipe],
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly session = inject(SessionStore);
  private readonly sessionApi = inject(SessionApi);
  private readonly router = inject(Router);
  protected readonly garage = inject(Garage);
  protected readonly riderRegion = inject(RiderRegion);
  private readonly accountSync = inject(RiderAccountSync);

  constructor() {
    inject(HeadingFocus).start();
    inject(LateScrollRestoration).start();
    // PendingTasks holds the server render until the header knows who is signed in.
    void inject(PendingTasks).run(() => this.session.load());
    if (isPlatformBrowser(inject(PLATFORM_ID))) this.accountSync.start();
  }

  protected chooseRegion(code: string): void {
    this.accountSync.chooseRegion(code);
  }

  protected async signOut(): Promise<void> {
    await firstValueFrom(this.sessionApi.logout());
    this.session.signedOut();
    await this.router.navigateByUrl('/');
  }
}
