/**
 * What a rep does in the web app, step by step, shared by the browser tests that walk it: a step
 * built from a template and a snippet in the rich editor, a contact enrolled by hand, the task
 * queue worked (manual email, call, skip) and the per-step report read. Each step waits for what
 * the screen shows once it is done.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SCREENSHOTS, poll } from './browser.js';

/** A picture for people reviewing the change, under test-output/ (git-ignored). */
export async function saveOutput(shot: Page | Locator, name: string): Promise<void> {
  const output = path.dirname(SCREENSHOTS);
  fs.mkdirSync(output, { recursive: true });
  const file = path.join(output, `${name}.png`);
  if ('goto' in shot) await shot.screenshot({ path: file, fullPage: true });
  else await shot.screenshot({ path: file });
}

/** Step n of the sequence open in the editor: its item and its rich body. */
export function stepEditor(page: Page, n: number): { step: Locator; body: Locator } {
  const step = page.getByRole('listitem', { name: `Step ${n}` });
  return { step, body: step.getByRole('textbox', { name: `Body of step ${n}` }) };
}

/** Fills step n from a template; waits until its subject and a line of its body show. */
export async function stepFromTemplate(page: Page, n: number, template: { name: string; subject: string; line: string }): Promise<{ step: Locator; body: Locator }> {
  const { step, body } = stepEditor(page, n);
  await step.getByLabel(`Insert template in step ${n}`).selectOption({ label: template.name });
  await poll(() => step.getByLabel(`Subject of step ${n}`).inputValue()).toBe(template.subject);
  await poll(() => body.innerText()).toContain(template.line);
  return { step, body };
}

/** A new paragraph at the end of the body with a snippet typed as #shortcut + Tab. */
export async function snippetByShortcut(body: Locator, shortcut: string, expected: string): Promise<void> {
  await body.click();
  await body.press('Control+End');
  await body.press('Enter');
  await body.pressSequentially(`#${shortcut}`);
  await body.press('Tab');
  await poll(() => body.innerText()).toContain(expected);
}

export async function saveSequence(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save sequence' }).click();
  await page.getByText('Sequence saved').waitFor();
}

/** The sequence page's "Enroll contact" dialog with the contact found and chosen, not yet enrolled. */
export async function openEnrollDialog(page: Page, o: { find: string; contact: string; email: string; from: string }): Promise<Locator> {
  await page.getByRole('button', { name: 'Enroll contact' }).click();
  const dialog = page.getByRole('dialog', { name: /Enroll a contact/ });
  await dialog.getByLabel('Find contact').fill(o.find);
  await dialog.getByLabel('Contact', { exact: true }).selectOption({ label: `${o.contact} — ${o.email}` });
  await poll(() => dialog.getByLabel('Send from').inputValue()).toBe(o.from);
  return dialog;
}

/** Fills the dialog's placeholders and enrolls; waits for the confirmation. */
export async function enrollFromDialog(dialog: Locator, email: string, placeholders: Record<string, string> = {}): Promise<void> {
  for (const [name, value] of Object.entries(placeholders)) await dialog.getByLabel(`Placeholder: ${name}`).fill(value);
  await dialog.getByRole('button', { name: 'Enroll' }).click();
  await dialog.getByText(`${email} is enrolled.`).waitFor();
}

export const composerOf = (page: Page) => page.getByRole('form', { name: 'Email composer' });

/**
 * The manual email open in the queue: waits for its subject, fills its placeholders, adds a bold
 * closing line in the rich editor and sends it with a double click (it still goes out once).
 */
export async function sendManualEmail(page: Page, o: { subject: string; line: string; placeholders: Record<string, string>; closing?: string; shot?: string }): Promise<void> {
  const composer = composerOf(page);
  await poll(() => composer.getByLabel('Subject').inputValue()).toBe(o.subject);
  const body = composer.getByRole('textbox', { name: 'Body of the email' });
  await poll(() => body.textContent()).toContain(o.line);
  if (o.closing) {
    await body.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+b');
    await page.keyboard.type(o.closing);
  }
  for (const [name, value] of Object.entries(o.placeholders)) await composer.getByLabel(`Placeholder: ${name}`).fill(value);
  if (o.shot) await saveOutput(page, o.shot);
  await composer.getByRole('button', { name: 'Send' }).dblclick();
}

const taskPanel = (page: Page) => page.getByRole('region', { name: 'Task' });

/** The call task open in the queue: its outcome and notes, logged. */
export async function logCall(page: Page, o: { title: string; outcome: string; note: string }): Promise<void> {
  const task = taskPanel(page);
  await task.getByRole('heading', { name: o.title }).waitFor();
  await task.getByLabel('Outcome').selectOption({ label: o.outcome });
  await task.getByLabel('Call notes').fill(o.note);
  await task.getByRole('button', { name: 'Log call' }).click();
}

export async function skipTask(page: Page, title: string): Promise<void> {
  const task = taskPanel(page);
  await task.getByRole('heading', { name: title }).waitFor();
  await task.getByRole('button', { name: 'Skip' }).click();
}

export async function queueDone(page: Page): Promise<void> {
  await page.getByRole('status').getByText('All done').waitFor();
}

/** The Performance tab's per-step table: the cells of step n's row (an email or a task step). */
export async function reportCells(page: Page, n: number, type: 'Email' | 'Task' = 'Email'): Promise<string[]> {
  const row = page.getByRole('table', { name: 'Per-step results' }).getByRole('row', { name: new RegExp(`^${n} · ${type}`) });
  return (await row.getByRole('cell').allInnerTexts()).map((t) => t.trim());
}
