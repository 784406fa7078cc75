import type { Page } from '@playwright/test';
import { test, expect } from './support/web-host';
import {
  CPS_READER,
  expectNoSeriousA11yViolations,
  insertCard,
  patientAuthorises,
  removeCard,
  screenshot,
  signIn,
  VITALE_READER,
} from './support/journey';

const PSY_TYPE = '68599-0'; // Synthèse psychiatrique: santé mentale, outside a pharmacist's matrix row

/**
 * The main process leaves documents an actor may not read out of its lists, so the UI never offers
 * them. To check that a refusal on opening still reaches the user in plain French, this relay
 * remembers the psychiatric summary from the doctor's list and slips it back into later lists — a
 * stale or forged reference — while the real main process decides on `documents.get`.
 */
async function relayKeepingForbiddenDocument(page: Page): Promise<void> {
  let remembered: unknown = null;
  const listRequests = new Set<number>();
  await page.routeWebSocket(/\/bridge/, (client) => {
    const server = client.connectToServer();
    client.onMessage((message) => {
      const request = JSON.parse(String(message)) as { id?: number; method?: string };
      if (request.method === 'documents.list' && typeof request.id === 'number') listRequests.add(request.id);
      server.send(message);
    });
    server.onMessage((message) => {
      const data = JSON.parse(String(message)) as {
        id?: number;
        response?: { ok: boolean; value?: { id: string; typeCode: string }[] };
      };
      if (
        typeof data.id === 'number' &&
        listRequests.delete(data.id) &&
        data.response?.ok &&
        data.response.value
      ) {
        const psy = data.response.value.find((d) => d.typeCode === PSY_TYPE);
        if (psy) remembered = psy;
        else if (remembered) data.response.value.push(remembered as { id: string; typeCode: string });
        client.send(JSON.stringify(data));
        return;
      }
      client.send(message);
    });
  });
}

test('Pharmacist opening a document type the matrix forbids gets a plain-French refusal', async ({
  page,
  host,
}) => {
  await relayKeepingForbiddenDocument(page);
  await page.goto(host.url);

  // A GP deposits a psychiatric summary in the demo patient's dossier.
  await signIn(page, /généraliste/i);
  await insertCard(page, VITALE_READER, /PAT-TROIS/i);
  await patientAuthorises(page);
  await page.getByRole('tab', { name: 'Documents' }).click();
  await page.getByRole('button', { name: 'Déposer un document' }).click();
  const deposit = page.getByRole('dialog', { name: 'Déposer un document' });
  await deposit.getByLabel('Fichier (CDA, PDF ou texte)').setInputFiles({
    name: 'synthese-psy.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Synthèse psychiatrique de test — patient fictif.', 'utf8'),
  });
  await deposit.getByLabel(/^Type de document/).selectOption({ label: 'Synthèse psychiatrique' });
  await deposit.getByLabel('Titre (facultatif)').fill('Synthèse psychiatrique de test');
  await expectNoSeriousA11yViolations(page, 'deposit dialog');
  await deposit.getByRole('button', { name: 'Déposer' }).click();
  await expect(deposit).toHaveCount(0);
  await expect(page.getByRole('table')).toContainText('Synthèse psychiatrique de test');

  // The pharmacist takes over the workstation with the same Vitale.
  await removeCard(page, CPS_READER);
  await signIn(page, /pharmacien/i);
  await patientAuthorises(page);
  await expect(page.getByRole('region', { name: 'Patient' })).toContainText('PAT-TROIS');
  await page.getByRole('tab', { name: 'Documents' }).click();
  await page.getByRole('button', { name: 'Ouvrir « Synthèse psychiatrique de test »' }).click();

  const viewer = page.getByRole('dialog', { name: 'Synthèse psychiatrique de test' });
  const refusal = viewer.getByRole('alert');
  await expect(refusal).toBeVisible();
  await expect(refusal).not.toHaveText(/^\[/); // no raw error code
  await expect(refusal).toHaveText(/[a-zà-ÿ’' ]{20,}/i);
  await expect(viewer.locator('iframe')).toHaveCount(0);
  await expect(viewer).not.toContainText('patient fictif');
  await expectNoSeriousA11yViolations(page, 'refused document');
  await screenshot(page, 'refusal-pharmacist-document');
  await viewer.getByRole('button', { name: 'Fermer' }).click();
  await expect(viewer).toHaveCount(0);
});

test('Removing the CPS mid-consultation locks the screen and leaves no patient data visible', async ({
  page,
  host,
}) => {
  await page.goto(host.url);
  await signIn(page, /généraliste/i);
  await insertCard(page, VITALE_READER, /PAT-TROIS/i);
  await patientAuthorises(page);
  await expect(page.getByTestId('other-medications')).toContainText(/PLAVIX/i); // the 2020 VSM's open-ended treatments: « à vérifier »

  await removeCard(page, CPS_READER);
  await expect(page.getByRole('heading', { name: 'Session verrouillée' })).toBeVisible();
  const main = page.getByRole('main');
  for (const text of [
    'PAT-TROIS',
    '279035121518989',
    '2 79 03 51 215 189 89',
    'PLAVIX',
    'PARACETAMOL',
    'Paracétamol',
  ]) {
    await expect(main).not.toContainText(text);
  }
  await expect(page.getByRole('region', { name: 'Patient' })).toHaveCount(0);
  await expect(page.getByTestId('allergies')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Session verrouillée' }).first()).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'lock screen');
  await screenshot(page, 'refusal-lock-screen');
});
