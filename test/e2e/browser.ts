/**
 * Browser tests drive Debian's Chromium through playwright-core (no browser download). Outside
 * CI a machine without /usr/bin/chromium skips them with a notice; in CI (CI=true) they fail.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN_TOKEN } from '../support/harness.js';

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
