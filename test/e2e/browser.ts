/**
 * Browser tests drive Debian's Chromium through playwright-core (no browser download). Outside
 * CI a machine without /usr/bin/chromium skips them with a notice; in CI (CI=true) they fail.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';

export const CHROMIUM = process.env.SEQFLOW_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');

export const chromiumAvailable = fs.existsSync(CHROMIUM);
if (!chromiumAvailable) {
  if (process.env.CI === 'true') throw new Error(`The browser tests need Chromium at ${CHROMIUM} (apt-get install chromium); CI must not skip them.`);
  console.warn(`[seqflow tests] browser (e2e) suite SKIPPED: ${CHROMIUM} not found. Install it with: apt-get install -y chromium`);
}

/** Builds web/dist when it is missing or older than a source file, so the server serves the current UI. */
export function ensureWebBuilt(): void {
  const dist = path.join(ROOT, 'web', 'dist', 'index.html');
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs), 0);
  const sources = Math.max(newest(path.join(ROOT, 'web', 'src')), fs.statSync(path.join(ROOT, 'web', 'index.html')).mtimeMs);
  if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs >= sources) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--headless'],
  });
}

/** A page at 1280×800 whose console errors and failed requests fail the test that reads them. */
export async function openPage(browser: Browser, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && problems.push(`console: ${m.text()}`));
  return { page, context, problems };
}

/** What the screen shows, read until it matches: generous, since the suite shares two cores with the integration tests. */
export const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000, interval: 50 });

type Viewport = { width: number; height: number };

/** The server and browser a file's tests share, and the page of the running test. */
export interface BrowserApp {
  readonly h: Harness;
  /** A fresh page (and sessionStorage) for the running test, not signed in. */
  newPage(viewport?: Viewport): Promise<Page>;
  /** A fresh page for the running test, signed in as the admin. */
  open(viewport?: Viewport): Promise<Page>;
}

/**
 * One server (on the first dialect, unless `start` says otherwise) and one Chromium for the
 * describe block it is called in. The page a test opens is closed after it, and a script error
 * in that page fails the test.
 */
export function useBrowserApp(o: { start?: () => Promise<Harness>; timeout?: number } = {}): BrowserApp {
  const start = o.start ?? (async () => startHarness(await DIALECTS[0].create()));
  let h: Harness;
  let browser: Browser;
  let page: Page | undefined;
  let problems: string[] = [];
  beforeAll(async () => {
    ensureWebBuilt();
    [h, browser] = await Promise.all([start(), launch()]);
  }, o.timeout ?? 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });
  afterEach(async () => {
    await page?.context().close();
    expect(problems, 'no script errors in the page').toEqual([]);
  });
  const app: BrowserApp = {
    get h() {
      return h;
    },
    newPage: async (viewport) => {
      ({ page, problems } = await openPage(browser, viewport));
      return page;
    },
    open: async (viewport) => {
      const p = await app.newPage(viewport);
      await signIn(p, h.sf.url!);
      return p;
    },
  };
  return app;
}

/** Signs in on the sign-in screen with the admin API token. */
export async function signIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl);
  // A fresh install opens on the first-run screen, an installed one on email sign-in: both offer the token.
  const tokenField = page.getByLabel('API token', { exact: true });
  await tokenField.or(page.getByRole('button', { name: 'Sign in with an API token instead' })).first().waitFor();
  if (!(await tokenField.isVisible())) await page.getByRole('button', { name: 'Sign in with an API token instead' }).click();
  await tokenField.fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Signs in on the sign-in screen with a user's email and password (a session, not a token). */
export async function signInAs(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Automation > Workflows, as the brief's first step says. */
export async function goToWorkflows(page: Page): Promise<void> {
  await page.getByRole('button', { name: /Automation/ }).click();
  await page.getByRole('link', { name: 'Workflows' }).click();
  await page.getByRole('heading', { name: 'Workflows', level: 1 }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`[e2e] screenshot: ${path.relative(ROOT, file)}`);
  return file;
}
