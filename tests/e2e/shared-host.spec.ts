import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  CPS_READER,
  insertCard,
  patientAuthorises,
  removeCard,
  screenshot,
  signIn,
  VITALE_READER,
} from './support/journey';
import { startSharedHost, type SharedHost } from './support/shared-host';

/**
 * Issue 13's « Done when »: two workstations share one DMP host (real host process on a throwaway
 * PostgreSQL cluster, TLS 1.3 with workstation certificates, card proofs signed by SoftHSM2 tokens
 * through PKCS#11). What a dossier created on A, opened on B and accessed in bris de glace on B looks
 * like from A; and what a workstation or a card from outside the deployment sees.
 */

const PATIENT_INS = '285022B11542341@1.2.250.1.213.1.4.10';
const PATIENT_NAME = /ROUSSEL/i;
const REASON = 'Patient inconscient aux urgences, aucun proche joignable';

test.describe.configure({ mode: 'serial' });

let shared: SharedHost;
let pageA: Page;
let pageB: Page;
const contexts: BrowserContext[] = [];

async function openWorkstation(browser: Browser, name: string): Promise<Page> {
  const web = await shared.workstation(name);
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(web.url);
  return page;
}

test.beforeAll(async ({ browser }) => {
  // PostgreSQL, the deployment's PKI and tokens, the host process, two browser hosts: generous on a
  // loaded 2-core machine. Nothing here is a timing assertion.
  test.setTimeout(600_000);
  shared = await startSharedHost();
  [pageA, pageB] = await Promise.all([
    openWorkstation(browser, 'poste-a'),
    openWorkstation(browser, 'poste-b'),
  ]);
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  for (const context of contexts) await context.close();
  await shared?.stop();
});

test('A: the secretary’s CPE is proven to the host after the PIN, and she creates the dossier with consent', async () => {
  test.setTimeout(180_000);
  const page = pageA;
  await expect(page.getByTestId('host-status')).toContainText('Serveur DMP partagé (localhost:');
  await expect(page.getByTestId('host-status')).toContainText('connecté');
  await signIn(page, /secrétaire/i);
  await insertCard(page, VITALE_READER, /adulte seul/i);

  const notice = page.getByRole('region', { name: 'Dossier non ouvert' });
  await expect(notice).toContainText(PATIENT_NAME);
  await expect(notice.getByRole('status')).toHaveText('Ce patient n’a pas de DMP.');
  await notice.getByRole('button', { name: 'Créer le DMP' }).click();

  const wizard = page.getByRole('region', { name: 'Création du DMP' });
  await expect(wizard).toContainText('2 85 02 2B 115 423 41');
  await wizard.getByLabel(/Pièce d’identité à haut niveau de confiance vérifiée/).check();
  await wizard.getByRole('button', { name: 'Suivant' }).click();
  await expect(wizard.getByLabel('Accepte l’accès en bris de glace')).toBeChecked();
  await wizard.getByLabel('Le patient a été informé et consent à la création de son DMP').check();
  await wizard.getByRole('button', { name: 'Créer le dossier' }).click();
  await expect(page.getByRole('button', { name: 'Imprimer les codes d’accès' }).first()).toBeVisible();
  await screenshot(page, 'shared-host-a-created');
  await wizard.getByRole('button', { name: 'Terminer' }).click();
  await expect(notice.getByRole('status')).toContainText('Ce patient a déjà un DMP');
  await removeCard(page, VITALE_READER);
  await removeCard(page, CPS_READER);
});

test('B: the GP opens the dossier created on A with the patient’s Vitale; then a bris de glace on B', async () => {
  test.setTimeout(180_000);
  const page = pageB;
  await signIn(page, /généraliste/i);
  await insertCard(page, VITALE_READER, /adulte seul/i);
  await patientAuthorises(page);
  const banner = page.getByRole('region', { name: 'Patient' });
  await expect(banner).toContainText(PATIENT_NAME);
  await screenshot(page, 'shared-host-b-gp');
  await removeCard(page, VITALE_READER);
  await removeCard(page, CPS_READER);

  // The emergency doctor, no Vitale: search by INS, bris de glace with the reason typed.
  await signIn(page, /urgentiste/i);
  const search = page.getByRole('region', { name: 'Rechercher un dossier' });
  await search.getByLabel('INS (matricule ou matricule@OID)').fill(PATIENT_INS);
  await search.getByRole('button', { name: 'Rechercher' }).click();
  const results = search.getByRole('list', { name: 'Dossiers trouvés' });
  await expect(results).toContainText(PATIENT_NAME);
  await results.getByRole('button', { name: 'Bris de glace…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Accès en bris de glace' });
  await dialog.getByLabel('Motif (obligatoire)').fill(REASON);
  await dialog.getByRole('button', { name: 'Ouvrir en bris de glace' }).click();
  await expect(page.getByTestId('access-banner')).toContainText(`Accès en bris de glace — motif : ${REASON}`);
  await expect(banner).toContainText(PATIENT_NAME);
  await screenshot(page, 'shared-host-b-bris-de-glace');
  await removeCard(page, CPS_READER);
});

test('A: the GP reopens the dossier on A and its access history shows B’s bris de glace', async () => {
  test.setTimeout(180_000);
  const page = pageA;
  await page.reload();
  await signIn(page, /généraliste/i);
  await insertCard(page, VITALE_READER, /adulte seul/i);
  const banner = page.getByRole('region', { name: 'Patient' });
  await expect(banner).toContainText(PATIENT_NAME);
  await page.getByRole('tab', { name: 'Historique des accès' }).click();
  const history = page.getByRole('table', { name: 'Historique des accès' });
  // Seen from A, the emergency doctor's opening on B, in bris de glace. The reason itself is for the
  // patient and their médecin traitant only (this GP is not): the history says so instead.
  const row = history
    .getByRole('row')
    .filter({ hasText: 'Karim HADDAD' })
    .filter({ hasText: 'A ouvert le dossier.' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Bris de glace');
  await expect(row).toContainText('Motif réservé au patient et à son médecin traitant');
  await expect(history).not.toContainText(REASON);
  await screenshot(page, 'shared-host-a-history');
  await removeCard(page, VITALE_READER);
  await removeCard(page, CPS_READER);
});

/**
 * The card goes in and its PIN is typed (the card itself accepts it), but the workstation gets no
 * session: `refusal` is what the user reads instead.
 */
async function pinRefused(page: Page, card: RegExp, refusal: string): Promise<void> {
  await insertCard(page, CPS_READER, card);
  await expect(page.getByRole('heading', { name: 'Code porteur' })).toBeVisible();
  await page.getByLabel('Code à 4 chiffres').fill('1234');
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('main')).toContainText(refusal);
  await expect(page.getByRole('status').filter({ hasText: 'Authentifié' })).toHaveCount(0);
}

/** The patient's Vitale goes in (the card bar shows it), and nothing of the patient appears. */
async function vitaleShowsNoPatientData(page: Page, shot: string): Promise<void> {
  await insertCard(page, VITALE_READER, /adulte seul/i);
  await expect(page.getByRole('region', { name: 'Lecteurs de cartes' })).toContainText(
    'Carte Vitale présente · identité affichée après votre code',
  );
  await screenshot(page, shot);
  await expect(page.getByRole('main')).not.toContainText(PATIENT_NAME);
  await expect(page.getByRole('region', { name: 'Patient' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Rechercher un dossier' })).toHaveCount(0);
}

test('a card whose certificate is not from the deployment’s CA is refused after the PIN, in French, with no patient data', async () => {
  test.setTimeout(180_000);
  // Its SoftHSM2 token holds a key certified by the foreign PKI: the host's verifyProfessionalProof says no.
  await pinRefused(
    pageB,
    /pharmacien/i,
    'Authentification refusée : le certificat de la carte n’a pas été émis par l’autorité des cartes de professionnels reconnue par le serveur DMP.',
  );
  await screenshot(pageB, 'shared-host-foreign-card');
  await vitaleShowsNoPatientData(pageB, 'shared-host-foreign-card-vitale');
});

test('a workstation whose certificate is not from the deployment’s CA: refused, said in French, no patient data', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const page = await openWorkstation(browser, 'foreign');
  const status = page.getByTestId('host-status');
  await expect(status).toHaveAttribute('role', 'alert');
  await expect(status).toContainText(
    'Serveur DMP : connexion refusée (certificats) : aucune donnée patient affichée',
  );
  await expect(status).toContainText('le certificat de ce poste n’est pas accepté par le serveur');
  await screenshot(page, 'shared-host-foreign-workstation');
  // The GP's own card is fine, but the host is not talking to this workstation.
  await pinRefused(
    page,
    /généraliste/i,
    'Serveur DMP : connexion refusée — le certificat de ce poste n’est pas accepté par le serveur.',
  );
  await vitaleShowsNoPatientData(page, 'shared-host-foreign-workstation-vitale');
});

test('« Paramètres »: a workstation started without host options is pointed at the host by an authenticated professional, and uses it from the next start', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'poste-dmp-settings-'));
  try {
    const first = await shared.unconfiguredWorkstation(dataDir);
    const context = await browser.newContext();
    contexts.push(context);
    const settingsOf = (page: Page) => page.getByRole('dialog', { name: 'Paramètres du serveur DMP' });
    let page = await context.newPage();
    await page.goto(first.url);
    await expect(page.getByTestId('host-status')).toHaveText('DMP intégré au poste');

    // Nobody authenticated: readable, not changeable, and the screen says why (security audit).
    await page.getByRole('button', { name: 'Paramètres' }).click();
    let dialog = settingsOf(page);
    await expect(dialog.getByRole('note')).toHaveText(
      'Pour modifier ces réglages, authentifiez-vous avec votre carte professionnelle et votre code : chaque changement est tracé à votre nom.',
    );
    await expect(dialog.getByLabel('Serveur DMP partagé', { exact: true })).toBeDisabled();
    await expect(dialog.getByRole('button', { name: 'Enregistrer' })).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Fermer' }).click();

    await signIn(page, /généraliste/i);
    await page.getByRole('button', { name: 'Paramètres' }).click();
    dialog = settingsOf(page);
    await expect(dialog).toContainText('En service maintenant : DMP intégré au poste.');
    await expect(dialog.getByRole('note')).toHaveCount(0);
    await dialog.getByLabel('Serveur DMP partagé', { exact: true }).check();
    const { cert, key } = shared.certificateOf('poste-a');
    await dialog
      .getByLabel('Adresse du serveur DMP (https://serveur:port)')
      .fill(shared.url.replace('https:', 'http:'));
    await dialog
      .getByLabel('Certificat de l’autorité du déploiement (CA, fichier PEM)')
      .fill(shared.deployment.caPath);
    await dialog.getByLabel('Certificat du poste (fichier PEM)').fill(cert);
    await dialog.getByLabel('Clé privée du poste (fichier PEM)').fill(key);
    await dialog
      .getByLabel('Module PKCS#11 de la carte CPS (facultatif)')
      .fill(shared.deployment.softhsm.modulePath);
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    // Checked before anything is saved, with the same schema the main process applies.
    await expect(dialog).toContainText('l’adresse du serveur DMP doit commencer par https://');
    await expect(dialog.getByRole('status')).toHaveCount(0);
    await dialog.getByLabel('Adresse du serveur DMP (https://serveur:port)').fill(shared.url);
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(dialog.getByRole('status')).toHaveText(
      'Réglages enregistrés. Redémarrez Poste DMP pour les appliquer.',
    );
    await screenshot(page, 'shared-host-settings-saved');
    // Not switched under the open page: the embedded DMP stays in service until the next start.
    await expect(page.getByTestId('host-status')).toHaveText('DMP intégré au poste');
    await page.close();
    await first.stop();

    const second = await shared.unconfiguredWorkstation(dataDir);
    page = await context.newPage();
    await page.goto(second.url);
    await expect(page.getByTestId('host-status')).toHaveText(
      `Serveur DMP partagé (${new URL(shared.url).host}) · connecté`,
    );
    await page.getByRole('button', { name: 'Paramètres' }).click();
    dialog = settingsOf(page);
    await expect(dialog).toContainText(
      `En service maintenant : Serveur DMP partagé (${new URL(shared.url).host}).`,
    );
    await expect(dialog.getByLabel('Adresse du serveur DMP (https://serveur:port)')).toHaveValue(shared.url);
    await expect(dialog.getByLabel('Certificat du poste (fichier PEM)')).toHaveValue(cert);
    await dialog.getByRole('button', { name: 'Fermer' }).click();

    // The card is proven to the host with the module from the settings; the dossier is the shared one.
    await signIn(page, /généraliste/i);
    await insertCard(page, VITALE_READER, /adulte seul/i);
    await expect(page.getByRole('region', { name: 'Patient' })).toContainText(PATIENT_NAME);
    await screenshot(page, 'shared-host-settings-applied');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
