import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from '@jest/globals';
import { chromium, Page, type Browser, type BrowserContext } from 'playwright-core';

/** What the riders' browser suites share: Debian chromium, the two screen sizes, the screenshot folder. */
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', 'screenshots');
export const chromiumMissing = !existsSync(CHROMIUM);
/** A missing browser shows up as skipped, with the reason in the suite's name, never as a pass. */
export const describeInBrowser = chromiumMissing ? describe.skip : describe;
export const inBrowserSuiteName = (name: string) => (chromiumMissing ? `${name} (SKIPPED: ${CHROMIUM} not found; apt-get install -y chromium)` : `${name} (Debian chromium via playwright-core)`);

export interface Screen {
  name: 'desktop' | 'phone';
  width: number;
  height: number;
  isMobile: boolean;
}
export const SCREENS: Screen[] = [
  { name: 'desktop', width: 1366, height: 900, isMobile: false },
  { name: 'phone', width: 360, height: 740, isMobile: true },
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export function screenContext(browser: Browser, screen: Screen): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: screen.width, height: screen.height }, isMobile: screen.isMobile, hasTouch: screen.isMobile, locale: 'en-US' });
}

/** Angular removes the `ngh` hydration markers once the page is interactive. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[ngh]'), undefined, { timeout: 10_000 });
}

/** A new tab that records the page's console errors and uncaught errors into `errors`, opened at `url`. */
export async function openWatched(context: BrowserContext, url: string, errors: string[], label = new URL(url).pathname): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${label}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${label}: ${error.message}`));
  await page.goto(url);
  return page;
}

/** A screen-sized context with the rider's region cookie set, as a returning rider's browser has it. */
export async function regionContext(browser: Browser, screen: Screen, region?: string): Promise<BrowserContext> {
  const context = await screenContext(browser, screen);
  if (region) await context.addCookies([{ name: 'mpp_region', value: region, domain: '127.0.0.1', path: '/' }]);
  return context;
}

export interface SignedIn {
  id: string;
  csrfToken: string;
}

/** The dev sign-in through the web's own /auth proxy, so the session cookie is the browser's. */
export async function devSignIn(context: BrowserContext, webUrl: string, email: string, role: 'user' | 'moderator' = 'user'): Promise<SignedIn> {
  const response = await context.request.post(`${webUrl}/auth/dev-login`, { data: { email, displayName: email.split('@')[0], role } });
  if (response.status() >= 300) throw new Error(`dev sign-in answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as SignedIn;
}
