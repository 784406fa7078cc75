import { readFileSync } from 'node:fs';
import { test, expect } from './support/web-host';
import {
  expectNoSeriousA11yViolations,
  insertCard,
  screenshot,
  signIn,
  VITALE_READER,
} from './support/journey';

test('Secretary: CPE + Vitale (adult alone) → identity from the reference → create the DMP with consent → access-code PDF → never offered twice', async ({
  page,
  host,
}) => {
  await page.goto(host.url);
  await signIn(page, /secrétaire/i);
  await insertCard(page, VITALE_READER, /adulte seul/i);

  const notice = page.getByRole('region', { name: 'Dossier non ouvert' });
  await expect(notice).toContainText(/ROUSSEL/i);
  await expect(notice.getByRole('status')).toHaveText('Ce patient n’a pas de DMP.');
  await notice.getByRole('button', { name: 'Créer le DMP' }).click();

  // The identity comes from the identity reference (five traits and INS), never typed at the desk.
  const wizard = page.getByRole('region', { name: 'Création du DMP' });
  await expect(wizard).toContainText('2 85 02 2B 115 423 41');
  await expect(wizard).toContainText('2B115');
  await expect(wizard.getByLabel(/Matricule INS du bénéficiaire/)).toHaveCount(0);
  await wizard.getByLabel(/Pièce d’identité à haut niveau de confiance vérifiée/).check();
  await expect(wizard).toContainText('INS qualifiée');
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

  // Once created, the dossier is found for this card: « Créer le DMP » is gone.
  await wizard.getByRole('button', { name: 'Terminer' }).click();
  await expect(notice.getByRole('status')).toContainText('Ce patient a déjà un DMP');
  await expect(notice.getByRole('button', { name: 'Créer le DMP' })).toHaveCount(0);
});
