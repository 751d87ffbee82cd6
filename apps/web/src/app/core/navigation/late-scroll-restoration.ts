import { DestroyRef, DOCUMENT, inject, Injectable } from '@angular/core';
import { Router, Scroll } from '@angular/router';
import { filter } from 'rxjs';

/** Long enough for a page's data to arrive on a slow phone; a rider's own scroll ends it sooner. */
const KEEP_TRYING_MS = 4000;

/**
 * The router restores the scroll position on Back as soon as the page renders, but a page drawn
 * from fresh data is still short then, so the browser clamps the position near the top. This
 * finishes the job: while the page grows, it scrolls to the remembered position again, until it
 * gets there, the rider scrolls, or time runs out.
 */
@Injectable({ providedIn: 'root' })
export class LateScrollRestoration {
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  private readonly destroyRef = inject(DestroyRef);
  private stop: (() => void) | null = null;

  start(): void {
    if (typeof ngServerMode !== 'undefined' && ngServerMode) return;
    const subscription = this.router.events
      .pipe(filter((event): event is Scroll => event instanceof Scroll && event.position !== null))
      .subscribe((event) => this.restore(event.position!));
    this.destroyRef.onDestroy(() => {
      subscription.unsubscribe();
      this.stop?.();
    });
  }

  private restore([x, y]: [number, number]): void {
    this.stop?.();
    const view = this.document.defaultView;
    if (!view) return;
    const reached = () => Math.abs(view.scrollY - y) < 2;
    const observer = new ResizeObserver(() => {
      if (!reached()) view.scrollTo(x, y);
      if (reached()) this.stop?.();
    });
    const riderScrolled = () => this.stop?.();
    const timer = setTimeout(() => this.stop?.(), KEEP_TRYING_MS);
    this.stop = () => {
      observer.disconnect();
      clearTimeout(timer);
      view.removeEventListener('wheel', riderScrolled);
      view.removeEventListener('touchstart', riderScrolled);
      view.removeEventListener('keydown', riderScrolled);
      this.stop = null;
    };
    view.addEventListener('wheel', riderScrolled, { passive: true });
    view.addEventListener('touchstart', riderScrolled, { passive: true });
    view.addEventListener('keydown', riderScrolled);
    observer.observe(this.document.body);
  }
}
