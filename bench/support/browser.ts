import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumArgs, chromiumExecutablePath } from '../../tests/support/chromium';

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumExecutablePath();
  if (!existsSync(executablePath))
    throw new Error(
      `Chromium introuvable (${executablePath}) : installez le paquet chromium ou définissez CHROMIUM_PATH.`,
    );
  return chromium.launch({ executablePath, args: [...chromiumArgs] });
}

export async function openWorkstation(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/*
 * In-page probes are plain JavaScript strings: this project type-checks without the DOM library, and
 * a serialised TypeScript function could carry the transpiler's helpers into the page.
 */
// By accessible name only: the banner's element and role have changed before (header → section).
const BANNER = '[aria-label="Patient"]';
const ALLERGIES = '[data-testid="allergies"]';

/**
 * Arms a watcher that resolves `window.__benchPainted` with the page's `Date.now()` after the frame
 * in which the banner shows this matricule and the allergies section is rendered has been painted
 * (double requestAnimationFrame: the callback after the next one runs once that frame is on screen).
 */
export async function armPaintProbe(page: Page, matricule: string): Promise<void> {
  await page.evaluate(`(() => {
    const matricule = ${JSON.stringify(matricule)};
    const ready = () => {
      const banner = document.querySelector(${JSON.stringify(BANNER)});
      return !!banner && (banner.textContent || '').includes(matricule) && !!document.querySelector(${JSON.stringify(ALLERGIES)});
    };
    window.__benchPainted = new Promise((resolve) => {
      const painted = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(Date.now())));
      if (ready()) return painted();
      const observer = new MutationObserver(() => {
        if (!ready()) return;
        observer.disconnect();
        painted();
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  })()`);
}

/** Page clock (ms since epoch) at which the armed probe saw the emergency view painted. */
export async function paintedAt(page: Page, timeoutMs = 15_000): Promise<number> {
  const value = await Promise.race([
    page.evaluate('window.__benchPainted'),
    new Promise<never>((_, reject) =>
      setTimeout(
        () =>
          reject(
            new Error(
              `Vue d’urgence non affichée après ${timeoutMs} ms (attendu : ${BANNER} contenant l’INS du patient et ${ALLERGIES}).`,
            ),
          ),
        timeoutMs,
      ).unref(),
    ),
  ]);
  if (typeof value !== 'number') throw new Error('Sonde de rendu : horodatage absent.');
  return value;
}

export async function waitForNoPatient(page: Page): Promise<void> {
  // A locator, not waitForFunction: the page's CSP forbids the eval that a string predicate needs.
  await page.locator(BANNER).waitFor({ state: 'detached', timeout: 15_000 });
}

export async function waitForAuthenticated(page: Page): Promise<void> {
  await page.getByRole('status').filter({ hasText: 'Authentifié' }).first().waitFor({ timeout: 15_000 });
}
