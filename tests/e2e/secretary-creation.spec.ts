import { readFileSync } from 'node:fs';
import { test, expect } from './support/web-host';
import {
  expectNoSeriousA11yViolations,
  insertCard,
  screenshot,
  signIn,
  VITALE_READER,
} from './support/journey';

test('Secretary: CPE + Vitale (adult alone) → create the DMP with consent → access-code PDF', async ({
  page,
  host,
}) => {
  await page.goto(host.url);
  await signIn(page, /secrétaire/i);
  await insertCard(page, VITALE_READER, /adulte seul/i);

  const notice = page.getByRole('region', { name: 'Dossier non ouvert' });
  await expect(notice).toContainText(/ROUSSEL/i);
  await notice.getByRole('button', { name: 'Créer le DMP' }).click();

  const wizard = page.getByRole('region', { name: 'Création du DMP' });
  await expect(wizard.getByRole('radio', { name: /ROUSSEL/i })).toBeChecked();
  await wizard.getByRole('button', { name: 'Suivant' }).click();

  // The only beneficiary is the card holder: the card NIR is prefilled, with the child warning still shown.
  await expect(wizard.getByLabel('Matricule INS du bénéficiaire (15 caractères)')).toHaveValue(
    '285022B11542341',
  );
  await expect(wizard.getByRole('note')).toContainText('L’INS d’un enfant ou d’un ayant droit est différent');
  await wizard.getByLabel('Femme').check();
  await wizard.getByLabel('Pièce d’identité vérifiée').check();
  await expectNoSeriousA11yViolations(page, 'creation wizard — identity');
  await screenshot(page, 'secretary-creation-identity');
  await wizard.getByRole('button', { name: 'Suivant' }).click();

  await expect(wizard.getByLabel('Accepte l’accès en bris de glace')).toBeChecked();
  await expect(wizard.getByLabel('Accepte l’accès par le centre 15')).toBeChecked();
  await wizard.getByLabel('Le patient a été informé et consent à la création de son DMP').check();
  await expectNoSeriousA11yViolations(page, 'creation wizard — consent');
  await screenshot(page, 'secretary-creation-consent');
  await wizard.getByRole('button', { name: 'Créer le dossier' }).click();

  const print = page.getByRole('button', { name: 'Imprimer les codes d’accès' }).first();
  await expect(print).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), print.click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/i);
  const path = await download.path();
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await expectNoSeriousA11yViolations(page, 'dossier created');
  await screenshot(page, 'secretary-creation-done');
});
