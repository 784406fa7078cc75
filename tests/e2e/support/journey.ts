import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const simulator = (page: Page) => page.getByRole('complementary', { name: 'Simulateur de cartes' });

/** Picks a simulated card by (part of) its label in the reader's select, then presses « Insérer ». */
export async function insertCard(page: Page, readerLabel: string, cardLabel: string | RegExp): Promise<void> {
  const select = simulator(page).getByLabel(readerLabel);
  const option = select.locator('option', { hasText: cardLabel });
  await expect(option.first()).toBeAttached();
  await select.selectOption({ value: (await option.first().getAttribute('value')) ?? '' });
  await select.locator('xpath=..').getByRole('button', { name: 'Insérer' }).click();
}

export async function removeCard(page: Page, readerLabel: string): Promise<void> {
  await simulator(page)
    .getByLabel(readerLabel)
    .locator('xpath=..')
    .getByRole('button', { name: 'Retirer' })
    .click();
}

export const CPS_READER = 'Lecteur simulé CPS';
export const VITALE_READER = 'Lecteur simulé Vitale';
export const DEMO_INS_KEY = '279035121518989@1.2.250.1.213.1.4.10';

/**
 * The Vitale found the patient's dossier but the professional is not yet authorised: the patient,
 * present, authorises them (the explicit action the DMP records), and the dossier opens.
 */
export async function patientAuthorises(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Le patient présent autorise l’accès' }).click();
  await expect(page.getByRole('region', { name: 'Patient' })).toBeVisible();
}

/** Inserts a professional card and types its PIN (1234 for every simulated profile). */
export async function signIn(page: Page, cardLabel: string | RegExp, pin = '1234'): Promise<void> {
  await insertCard(page, CPS_READER, cardLabel);
  await expect(page.getByRole('heading', { name: 'Code porteur' })).toBeVisible();
  await page.getByLabel('Code à 4 chiffres').fill(pin);
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Authentifié' })).toBeVisible();
}

/**
 * Runs axe on the current page and fails on any serious or critical violation, listing them. The
 * sandboxed document frame cannot run axe's script (that is the point of the sandbox), so it is excluded.
 */
export async function expectNoSeriousA11yViolations(page: Page, context: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .exclude('iframe[sandbox]')
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(report, `axe violations on ${context}`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
}
