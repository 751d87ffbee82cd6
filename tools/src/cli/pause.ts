import { setTimeout as delay } from 'node:timers/promises';

/** Waits, or less if the signal aborts (Ctrl-C); the caller then looks at the signal itself. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch((error: unknown) => {
    if (!(error instanceof Error && error.name === 'AbortError')) throw error;
  });
}
