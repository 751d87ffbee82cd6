import { Router } from '@angular/router';

/**
 * Read-your-writes across a navigation: the page that wrote passes the command's position in the
 * navigation state (never in the address bar), and the next page's first read waits for it.
 */
export function minPositionOf(router: Router): string | undefined {
  const value = router.currentNavigation()?.extras.state?.['minPosition'];
  return typeof value === 'string' && /^\d+$/.test(value) ? value : undefined;
}

export const withMinPosition = (position: string | number) => ({ state: { minPosition: String(position) } });
