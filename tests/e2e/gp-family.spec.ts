import { test, expect } from './support/web-host';
import {
  expectNoSeriousA11yViolations,
  insertCard,
  patientAuthorises,
  removeCard,
  screenshot,
  signIn,
  VITALE_READER,
} from './support/journey';

test('GP: CPS généraliste + PIN + family Vitale → pick a child → no dossier notice → demo patient summary', async ({
  page,
  host,
}) => {
  await page.goto(host.url);
  await signIn(page, /généraliste/i);

  await insertCard(page, VITALE_READER, /famille/i);
  const picker = page.getByRole('region', { name: 'Quel bénéficiaire de la carte Vitale ?' });
  await expect(picker).toBeVisible();
  await expect(picker.getByRole('button')).toHaveCount(5);
  await expectNoSeriousA11yViolations(page, 'beneficiary picker');
  await screenshot(page, 'gp-family-picker');

  await picker.getByRole('button', { name: /MARCHETTI ENZO/i }).click();
  // The children of this card have no DMP in the seeded data: the UI must say so plainly.
  const notice = page.getByRole('region', { name: 'Dossier non ouvert' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(/MARCHETTI ENZO/i);
  await expect(notice.getByRole('status')).toHaveText('Ce patient n’a pas de DMP.');
  // His own INS from the identity reference, not the NIR printed on his father's card.
  await expect(notice).toContainText('1 16 11 2A 004 310');
  await expect(notice).not.toContainText('1 78 06 2A 004 123');
  await expect(page.getByRole('region', { name: 'Patient' })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page, 'no dossier notice');
  await screenshot(page, 'gp-family-no-dossier');

  // Demo patient flow: swap the Vitale for the seeded demo patient's.
  await removeCard(page, VITALE_READER);
  await insertCard(page, VITALE_READER, /PAT-TROIS/i);
  await patientAuthorises(page);
  const banner = page.getByRole('region', { name: 'Patient' });
  await expect(banner).toContainText('PAT-TROIS');
  await expect(banner).toContainText('Identité de test');
  await expect(page.getByTestId('allergies')).toContainText(/parac[ée]tamol/i);
  await expect(page.getByTestId('other-medications')).toContainText(/PLAVIX/i); // the 2020 VSM's open-ended treatments: « à vérifier »
  await expect(page.getByTestId('immunizations')).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'emergency summary');
  await screenshot(page, 'gp-family-summary');

  // Keyboard: the dossier tabs follow the arrow keys.
  await page.getByRole('tab', { name: 'Synthèse d’urgence' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Documents' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Documents' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('table')).toContainText(/synth[eè]se/i);
  await expectNoSeriousA11yViolations(page, 'document list');
  await screenshot(page, 'gp-family-documents');

  // The viewer renders the narrative in a script-less sandbox and closes on Escape, focus back on the opener.
  const open = page.getByRole('button', { name: /^Ouvrir « Synth[eè]se/ }).first();
  await open.click();
  const viewer = page.getByRole('dialog');
  const frame = viewer.locator('iframe[sandbox=""]');
  await expect(frame).toBeVisible();
  await expect(frame).toHaveAttribute('srcdoc', /PLAVIX/i);
  await expectNoSeriousA11yViolations(page, 'document viewer');
  await screenshot(page, 'gp-family-document-viewer');
  await page.keyboard.press('Escape');
  await expect(viewer).toHaveCount(0);
  await expect(open).toBeFocused();
});
