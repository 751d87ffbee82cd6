/**
 * Tests of fixed-window limits count hits that must all land in one window: if a window ends
 * between them the count starts again and a 429 the test expects never comes. Waiting (at most
 * `neededMs`) for a window with that much time left makes them independent of the wall clock.
 * Windows are `floor(now / windowMs)`, as the rate limiter numbers them.
 */
export async function withinOneWindow(windowMs: number, neededMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < neededMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
