// The health view and settings as a user sees them in the packaged extension, checked in the DOM and saved
// as screenshots under test-results/ (the README shows them): indexing (one progress item in the status bar,
// no second one from the language server), idle (the indexed files open as folders, for a 1,000-file
// fixture), the error of a model that is not installed (a notification with the fixes, the view's welcome
// content offering the download), and the settings page.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { delay, type Page } from '../e2e/codeServer';

export const GENERATED_DIR = 'gen';
const PACKAGES = 25;
const FILES_PER_PACKAGE = 40;
export const GENERATED_FILES = PACKAGES * FILES_PER_PACKAGE;
const FUNCTIONS_PER_FILE = 40;

const VIEW = '[id="workbench.view.extension.semanticSearch"]';
/** A tree row by the start of its label: each row's aria-label is "label, description" (healthTreeProvider.ts). */
const row = (label: string) => `${VIEW} .monaco-list-row[aria-label^="${label}"]`;

/** 1,000 TypeScript files (40 functions each, so the first run lasts long enough to be seen: ~40k chunks) in 25 folders: a workspace whose file list is only browsable as a tree. */
export function writeGeneratedFiles(workspace: string): void {
  for (let p = 0; p < PACKAGES; p++) {
    const dir = path.join(workspace, GENERATED_DIR, `pkg${String(p).padStart(2, '0')}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FILES_PER_PACKAGE; f++) {
      const fns = Array.from({ length: FUNCTIONS_PER_FILE }, (_, k) =>
        [
          `/** Scales reading ${k} of sensor ${p}.${f} by its calibration factor and clamps it to the safe range. */`,
          `export function calibrate${p}x${f}x${k}(reading: number, factor = ${k + 1.5}): number {`,
          `  const scaled = reading * factor + ${p * 31 + f * 7 + k};`,
          `  return Math.min(${1000 + k}, Math.max(-${k + 1}, scaled));`,
          `}`,
        ].join('\n'),
      );
      fs.writeFileSync(path.join(dir, `sensor${String(f).padStart(2, '0')}.ts`), `${fns.join('\n\n')}\n`);
    }
  }
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await delay(150);
  }
}

const texts = (page: Page, selector: string) => page.locator(selector).allInnerTexts();

/** Runs a command from the palette by its title, as a person does. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.type(title, { delay: 5 });
  await until(`the palette to list "${title}"`, 15_000, async () =>
    (await texts(page, '.quick-input-widget .monaco-list-row')).some(t => t.includes(title.split(': ').pop()!)) ? true : undefined,
  );
  await page.keyboard.press('Enter');
}

/**
 * Writes the 1,000 files into the open workspace and opens the view while the server follows them (a checkout
 * or an unpacked archive looks the same); checks that one status item shows progress; screenshot.
 */
export async function indexingScreen(page: Page, workspace: string, shot: string): Promise<string> {
  const progress = /\b(scanning|indexing|updating)\b/i;
  await runCommand(page, 'Semsearch: Show Index Health');
  writeGeneratedFiles(workspace);
  await until('the status bar to show the work', 120_000, async () =>
    (await texts(page, '.statusbar-item')).some(t => progress.test(t)) ? true : undefined,
  );
  // With its figures: how far the work is (files, chunks, rate), not only that it runs.
  let rows: string[] = [];
  await until('the state row to show the work', 30_000, async () => {
    rows = await texts(page, `${VIEW} .monaco-list-row`);
    // innerText runs the label into the description ("Updating56 files ..."): no \b after the label.
    return rows.some(t => /^(Scanning|Indexing|Updating)[\s\S]*\d+ files?/.test(t.trim())) ? true : undefined;
  }).catch((e: Error) => {
    throw new Error(`${e.message}; the rows: ${JSON.stringify(rows.slice(0, 3))}`);
  });
  const items = await texts(page, '.statusbar-item');
  // At once, while the run is still on (the view and the status bar render from the same health push).
  await page.screenshot({ path: shot });
  const showing = items.filter(t => progress.test(t));
  if (showing.length !== 1) throw new Error(`expected exactly one progress item in the status bar, found ${JSON.stringify(showing)}`);
  return showing[0];
}

/** Once idle: the Indexed group opens as folders (the generated folder and its packages), not 1,000 rows. */
export async function idleScreen(page: Page, shot: string): Promise<string> {
  await page.locator(row('Up to date,')).first().waitFor({ state: 'visible', timeout: 240_000 });
  await page.locator(row('Indexed,')).first().click();
  const gen = page.locator(row(`${GENERATED_DIR},`)).first();
  await gen.waitFor({ state: 'visible', timeout: 15_000 });
  const genText = await gen.innerText();
  if (!genText.includes(`${GENERATED_FILES.toLocaleString('en-US')} files`))
    throw new Error(`the ${GENERATED_DIR} folder row should count ${GENERATED_FILES} files: ${JSON.stringify(genText)}`);
  await gen.click();
  await page.locator(row('pkg00,')).first().waitFor({ state: 'visible', timeout: 15_000 });
  const rows = await texts(page, `${VIEW} .monaco-list-row`);
  if (rows.some(t => /sensor\d\d\.ts/.test(t))) throw new Error('files of the generated packages are listed before their folder is opened');
  await page.screenshot({ path: shot });
  return genText.replace(/\s+/g, ' ');
}

/** A model that is not installed, chosen on the settings page as a user would (settingsScreen left it open on
 *  the extension's settings, Model ID first): the notification with its fixes, the welcome with the download. */
export async function errorScreen(page: Page, shot: string): Promise<string> {
  const modelId = page.locator('.settings-editor .setting-item-control input').first();
  await modelId.waitFor({ state: 'visible', timeout: 30_000 });
  await modelId.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Xenova/all-MiniLM-L6-v2', { delay: 5 });
  await page.keyboard.press('Tab');
  // A toast, or (once it has been put away) the notification centre, which the command opens.
  const notice = async () =>
    (await texts(page, '.notifications-toasts .notification-toast, .notifications-center .notification-list-item')).find(
      t => t.includes('Xenova/all-MiniLM-L6-v2') && t.includes('is missing'),
    );
  const toast = await until('the missing-model notification', 90_000, async () => {
    const shown = await notice();
    if (!shown) await runCommand(page, 'Notifications: Show Notifications').catch(() => undefined);
    return shown;
  });
  if (!toast.includes('Download Model')) throw new Error(`the notification should offer the download: ${JSON.stringify(toast)}`);
  const welcome = await until('the welcome content to offer the download', 30_000, async () => {
    const all = (await texts(page, `${VIEW} .welcome-view-content`)).join(' ');
    return all.includes('Download the Model') ? all : undefined;
  });
  await page.screenshot({ path: shot });
  return `${toast.replace(/\s+/g, ' ').slice(0, 200)} | welcome: ${welcome.replace(/\s+/g, ' ').slice(0, 200)}`;
}

/** The settings page filtered to the extension's settings, in their order. */
export async function settingsScreen(page: Page, shot: string): Promise<string> {
  await runCommand(page, 'Preferences: Open Settings (UI)');
  const search = page.locator('.settings-editor .settings-header .suggest-input-container .view-lines').first();
  await search.waitFor({ state: 'visible', timeout: 30_000 });
  await search.click();
  await page.keyboard.type('@ext:semsearch.semsearch', { delay: 5 });
  const titles = await until("the extension's settings to be listed", 30_000, async () => {
    const all = await texts(page, '.settings-editor .setting-item-title');
    return all.some(t => /Model ID/i.test(t)) && !all.some(t => /Font Size/.test(t)) ? all : undefined;
  });
  await page.screenshot({ path: shot, fullPage: true });
  return titles
    .slice(0, 4)
    .map(t => t.replace(/\s+/g, ' '))
    .join('; ');
}
