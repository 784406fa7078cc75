import { test, expect } from './support/web-host';
import type { Page } from '@playwright/test';

async function insertCard(page: Page, readerLabel: string, cardLabel: string | RegExp): Promise<void> {
  const simulator = page.getByRole('complementary', { name: 'Simulateur de cartes' });
  const select = simulator.getByLabel(readerLabel);
  const option = select.locator('option', { hasText: cardLabel });
  await select.selectOption({ value: (await option.first().getAttribute('value')) ?? '' });
  await select.locator('xpath=..').getByRole('button', { name: 'Insérer' }).click();
}

test('GP: CPS + PIN + Vitale opens the urgent summary of the seeded demo patient', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Bienvenue' })).toBeVisible();

  await insertCard(page, 'Lecteur simulé CPS', /généraliste/i);
  await expect(page.getByRole('heading', { name: 'Code porteur' })).toBeVisible();
  await expect(page.getByText('3 essais restants').first()).toBeVisible();
  await page.getByLabel('Code à 4 chiffres').fill('1234');
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Authentifié' })).toBeVisible();

  await insertCard(page, 'Lecteur simulé Vitale', /PAT-TROIS/i);
  // Found by exact INS from the identity reference; the GP is not yet authorised: the patient says yes.
  const notice = page.getByRole('region', { name: 'Dossier non ouvert' });
  await expect(notice).toContainText('Ce patient a un DMP');
  await expect(notice).toContainText('2 79 03 51 215 189 89');
  await expect(notice.getByRole('button', { name: 'Créer le DMP' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Le patient présent autorise l’accès' }).click();
  const banner = page.getByRole('region', { name: 'Patient' });
  await expect(banner).toContainText('PAT-TROIS');
  await expect(banner).toContainText('2 79 03 51 215 189 89');
  await expect(banner.getByTestId('ins-status')).toHaveText('INS qualifiée');
  await banner.screenshot({ path: 'test-results/walking-slice-banner-ins-status.png' });

  // Values from the VSM fixture imported at start (an allergy to paracetamol, PLAVIX and COUMADINE).
  await expect(page.getByTestId('allergies')).toContainText(/parac[ée]tamol/i);
  await expect(page.getByTestId('other-medications')).toContainText(/PLAVIX/i); // the 2020 VSM's open-ended treatments: « à vérifier »
  await expect(page.getByTestId('other-medications')).toContainText(/COUMADINE/i);
  await page.screenshot({ path: 'test-results/walking-slice-emergency-view.png', fullPage: true });
});
