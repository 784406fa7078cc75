import { test, expect } from './support/web-host';
import {
  expectNoSeriousA11yViolations,
  insertCard,
  screenshot,
  signIn,
  VITALE_READER,
} from './support/journey';

test('A secretary with the Vitale of a patient who has a DMP is not offered « Créer le DMP »', async ({
  page,
  host,
}) => {
  await page.goto(host.url);
  await signIn(page, /secrétaire/i);
  await insertCard(page, VITALE_READER, /PAT-TROIS/i);
  const notice = page.getByRole('region', { name: 'Dossier non ouvert' });
  await expect(notice.getByRole('status')).toContainText('Ce patient a déjà un DMP');
  await expect(notice).toContainText('2 79 03 51 215 189 89');
  await expect(page.getByRole('button', { name: 'Créer le DMP' })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page, 'existing dossier, CPE');
  await screenshot(page, 'identity-cpe-existing-dossier');
});

test('A duplicate creation is refused: the same dossier created meanwhile from another window', async ({
  page,
  host,
  context,
}) => {
  await page.goto(host.url);
  await signIn(page, /secrétaire/i);
  await insertCard(page, VITALE_READER, /adulte seul/i);
  await page.getByRole('button', { name: 'Créer le DMP' }).click();
  const wizard = page.getByRole('region', { name: 'Création du DMP' });
  await wizard.getByRole('button', { name: 'Suivant' }).click();
  await wizard.getByLabel('Le patient a été informé et consent à la création de son DMP').check();

  // Meanwhile, a second window of the same workstation creates the dossier.
  const other = await context.newPage();
  await other.goto(host.url);
  await other.getByRole('button', { name: 'Créer le DMP' }).click();
  const otherWizard = other.getByRole('region', { name: 'Création du DMP' });
  await otherWizard.getByRole('button', { name: 'Suivant' }).click();
  await otherWizard.getByLabel('Le patient a été informé et consent à la création de son DMP').check();
  await otherWizard.getByRole('button', { name: 'Créer le dossier' }).click();
  await expect(other.getByRole('button', { name: 'Imprimer les codes d’accès' }).first()).toBeVisible();

  await wizard.getByRole('button', { name: 'Créer le dossier' }).click();
  await expect(wizard.getByRole('alert')).toContainText('Un DMP existe déjà pour ce patient');
  await expectNoSeriousA11yViolations(page, 'duplicate creation refused');
  await screenshot(page, 'identity-duplicate-refused');
});

test('No identity for the card: the traits search answers two namesakes, shown side by side with their five traits', async ({
  page,
  host,
}) => {
  await page.goto(host.url);
  await signIn(page, /secrétaire/i);
  await insertCard(page, VITALE_READER, /MARTIN Claire/i);
  const notice = page.getByRole('region', { name: 'Dossier non ouvert' });
  await expect(notice.getByRole('status')).toContainText('Identité introuvable au référentiel INS');
  await notice.getByRole('button', { name: 'Créer le DMP' }).click();

  const wizard = page.getByRole('region', { name: 'Création du DMP' });
  await expect(wizard.getByLabel('Nom de naissance')).toHaveValue('MARTIN');
  await wizard.getByLabel('Femme').check();
  await wizard.getByRole('button', { name: 'Rechercher l’identité' }).click();
  const candidates = wizard.getByRole('group', { name: 'Identités possibles' }).getByRole('article');
  await expect(candidates).toHaveCount(2);
  for (const trait of [
    'Nom de naissance',
    'Prénoms',
    'Date de naissance',
    'Sexe',
    'Lieu de naissance (code INSEE)',
    'Matricule INS',
  ]) {
    await expect(candidates.nth(0)).toContainText(trait);
    await expect(candidates.nth(1)).toContainText(trait);
  }
  await expect(wizard.getByRole('button', { name: 'Suivant' })).toBeDisabled();
  await expectNoSeriousA11yViolations(page, 'identity candidates');
  await screenshot(page, 'identity-candidate-choice');
  await candidates
    .filter({ hasText: '69123' })
    .getByRole('button', { name: 'Choisir cette identité' })
    .click();
  await expect(wizard).toContainText('CLAIRE MARIE');
  await expect(wizard.getByRole('button', { name: 'Suivant' })).toBeEnabled();
});

test('Finding 1: a Vitale with an altered NIR opens no one’s dossier for an emergency doctor', async ({
  page,
  host,
}) => {
  await page.goto(host.url);
  await signIn(page, /urgentiste/i);
  await insertCard(page, VITALE_READER, /NIR altéré/i);
  const notice = page.getByRole('region', { name: 'Dossier non ouvert' });
  await expect(notice.getByRole('status')).toContainText('clé est fausse');
  await expect(page.getByRole('region', { name: 'Patient' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Le patient présent autorise l’accès' })).toHaveCount(0);
  await screenshot(page, 'identity-altered-nir');
});
