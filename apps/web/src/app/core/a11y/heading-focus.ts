import { DestroyRef, DOCUMENT, inject, Injectable } from '@angular/core';
import { NavigationEnd, Router } from '@angular/router';
import { filter, skip } from 'rxjs';

/** Pages load their data after navigating, so the heading may appear a moment later. */
const WAIT_FOR_HEADING_MS = 5000;

/**
 * After an in-app navigation a screen-reader or keyboard rider would stay on the link they used (or
 * on <body>): move focus to the new page's main heading, as a full page load would start there.
 * preventScroll keeps the router's scroll restoration on Back.
 */
@Injectable({ providedIn: 'root' })
export class HeadingFocus {
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  private readonly destroyRef = inject(DestroyRef);
  private observer: MutationObserver | null = null;

  start(): void {
    if (typeof ngServerMode !== 'undefined' && ngServerMode) return;
    const subscription = this.router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        // The first navigation is the page load itself: focus stays where the browser put it.
        skip(1),
      )
      .subscribe(() => this.focusHeadingSoon());
    this.destroyRef.onDestroy(() => {
      subscription.unsubscribe();
      this.observer?.disconnect();
    });
  }

  private focusHeadingSoon(): void {
    this.observer?.disconnect();
    const main = this.document.getElementById('main');
    if (!main) return;
    if (this.focusHeading(main)) return;
    const observer = new MutationObserver(() => {
      if (this.focusHeading(main)) observer.disconnect();
    });
    this.observer = observer;
    observer.observe(main, { childList: true, subtree: true });
    setTimeout(() => observer.disconnect(), WAIT_FOR_HEADING_MS);
  }

  private focusHeading(main: HTMLElement): boolean {
    const heading = main.querySelector<HTMLElement>('h1');
    if (!heading) return false;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
    return true;
  }
}
