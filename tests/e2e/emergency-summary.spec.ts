import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { sharedCdaFixturesDir } from '../support/shared-fixtures';
import { test, expect } from './support/web-host';
import {
  expectNoSeriousA11yViolations,
  insertCard,
  patientAuthorises,
  screenshot,
  signIn,
  VITALE_READER,
} from './support/journey';

/** The GP opens the seeded demo patient (VSM imported at start) with her Vitale. */
async function openDemoPatient(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await signIn(page, /généraliste/i);
  await insertCard(page, VITALE_READER, /PAT-TROIS/i);
  await patientAuthorises(page);
  await expect(page.getByRole('region', { name: 'Patient' })).toContainText('PAT-TROIS');
  // The 2020 VSM's open-ended treatments, read today, are shown apart « à vérifier » (issue 10).
  await expect(page.getByTestId('other-medications')).toContainText(/PLAVIX/i);
}

/** Deposits a CDA file through the documents tab, the way a clinician adds a document, then returns to the summary. */
async function depositCda(page: Page, name: string, xml: Buffer): Promise<void> {
  await page.getByRole('tab', { name: 'Documents' }).click();
  await page.getByRole('button', { name: 'Déposer un document' }).click();
  const deposit = page.getByRole('dialog', { name: 'Déposer un document' });
  await deposit
    .getByLabel('Fichier (CDA, PDF ou texte)')
    .setInputFiles({ name, mimeType: 'text/xml', buffer: xml });
  await deposit.getByRole('button', { name: 'Déposer' }).click();
  await expect(deposit).toHaveCount(0);
  await page.getByRole('tab', { name: 'Synthèse d’urgence' }).click();
}

const fixture = (name: string): Buffer => readFileSync(join(sharedCdaFixturesDir(), name));

/**
 * The official CNAM-HR example dates from 2019: its dates (`value` attributes only, identifiers untouched)
 * move forward by whole years, as far as today allows, so its lines fall in the 24-month window.
 */
function recentCnamHr(): Buffer {
  const raw = fixture('CNAM-HR_2021.01.xml').toString('utf8');
  const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const newest =
    [...raw.matchAll(/value="(20\d{6})/g)]
      .map((m) => m[1] ?? '')
      .sort()
      .at(-1) ?? today;
  const shift =
    Number(today.slice(0, 4)) - Number(newest.slice(0, 4)) - (newest.slice(4) > today.slice(4) ? 1 : 0);
  return Buffer.from(
    raw.replace(
      /value="(20\d{2})(\d{4})/g,
      (_m, year: string, rest: string) => `value="${Number(year) + shift}${rest}`,
    ),
    'utf8',
  );
}

/** Text of each page of a PDF (pdftotext separates pages with a form feed), and its page count (pdfinfo). */
function pdfPages(path: string): { count: number; pages: string[] } {
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  const count = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  const pages = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' })
    .split('\f')
    .filter((p) => p.trim() !== '');
  return { count, pages };
}

test('VSM demo patient: dated summary, no « terminé » under current treatments, sticky banner, « Source » opens the document', async ({
  page,
  host,
}) => {
  await openDemoPatient(page, host.url);
  await expect(page.getByTestId('medications')).not.toContainText(/termin/i);
  const meds = page.getByTestId('other-medications');
  await expect(meds).toContainText('à vérifier');
  await expect(meds).not.toContainText(/voie : voie/i);
  await expect(page.getByTestId('summary-dates')).toContainText(
    /Synthèse au \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2} · dernière mise à jour du dossier le \d{2}\/\d{2}\/\d{4}/,
  );
  await expect(page.getByRole('region', { name: 'Patient' })).toContainText('Née le');
  await expect(page.getByTestId('contacts')).toContainText('Sœur');
  await expect(page.getByTestId('problems')).not.toContainText('interprétation diagnostique');
  await expectNoSeriousA11yViolations(page, 'emergency summary (VSM)');
  await screenshot(page, 'emergency-summary-vsm');

  // The page scrolls; the patient banner stays at the top of the window.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  const box = await page.getByRole('region', { name: 'Patient' }).boundingBox();
  expect(box?.y).toBeGreaterThanOrEqual(0);
  expect(box?.y).toBeLessThan(2);
  await page.screenshot({ path: 'test-results/emergency-summary-vsm-scrolled.png' });

  // « Source » of a treatment: the documents tab, the viewer on the source document, the line marked.
  await meds.getByRole('button', { name: /^Source de « PLAVIX/ }).click();
  await expect(page.getByRole('tab', { name: 'Documents' })).toHaveAttribute('aria-selected', 'true');
  const viewer = page.getByRole('dialog', { name: 'Synthèse Médicale' });
  await expect(viewer).toContainText('Ouvert depuis la synthèse : « PLAVIX');
  await expect(viewer.locator('iframe[sandbox=""]')).toHaveAttribute('srcdoc', /<mark id="entree-synthese">/);
  await expectNoSeriousA11yViolations(page, 'source document opened from the summary');
  await screenshot(page, 'emergency-summary-source');
  await viewer.getByRole('button', { name: 'Fermer' }).click();
  await expect(page.getByRole('tab', { name: 'Synthèse d’urgence' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
});

test('IPS-FR added: the summary shows it, and « Imprimer la synthèse » prints at most two A4 pages with identity, INS and who printed on each', async ({
  page,
  host,
}) => {
  await openDemoPatient(page, host.url);
  await depositCda(page, 'IPS-FR_2024.01.xml', fixture('IPS-FR_2024.01.xml'));
  await depositCda(page, 'BIO-CR-BIO_2024.01_TSH_1.xml', fixture('BIO-CR-BIO_2024.01_TSH_1.xml'));
  await expect(page.getByTestId('immunizations')).toContainText(/REVAXIS/);
  // The new sections: implanted devices and lab results, each line with its source.
  await expect(page.getByTestId('devices')).toContainText(/STIMULATEUR CARDIAQUE/i);
  await expect(page.getByTestId('lab-results')).toContainText(/Thyréostimuline/);
  await expect(page.getByTestId('lab-results').locator('tbody tr').first()).toContainText(/\d/);
  // Contacts merged across the VSM and the IPS-FR: one line per person, one « Source » per document.
  const contacts = page.getByTestId('contacts');
  await expect(
    contacts.locator('.entry__label', { hasText: 'Représentant légal : Jeanne NESSI' }),
  ).toHaveCount(1);
  await expect(contacts.getByRole('button', { name: /^Source 2 de « Représentant légal/ })).toHaveCount(1);
  await expect(page.getByTestId('trusted-persons')).toContainText('Sophie NESSI');
  await expect(page.getByTestId('treating-physicians')).toContainText('MEDIONI');
  await expect(contacts.locator('.entry__label', { hasText: 'MEDIONI' })).toHaveCount(0);
  await expect(page.getByTestId('immunizations')).toContainText(/le 28\/09\/2009/);
  await expect(page.getByTestId('immunizations')).not.toContainText(/depuis|termin/i);
  await expect(page.getByRole('region', { name: 'Synthèse d’urgence' })).toContainText(/LEVOTHYROX/);
  await expect(page.getByTestId('medications')).not.toContainText(/termin/i);
  await expectNoSeriousA11yViolations(page, 'emergency summary (VSM + IPS-FR)');
  await screenshot(page, 'emergency-summary-ips-fr');

  // Two years of reimbursements too: enough for a second page, where the header must come again.
  await depositCda(page, 'CNAM-HR-recent.xml', recentCnamHr());
  await expect(page.getByTestId('reimbursements').locator('tbody tr').first()).toBeVisible();

  // The button asks the browser to print (stubbed: headless Chromium has no print dialog)…
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void (window as unknown as { printed: number }).printed++;
  });
  await page.getByRole('button', { name: 'Imprimer la synthèse' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

  // …and what it prints is rendered to PDF by Chromium's print layout.
  await page.emulateMedia({ media: 'print' });
  const path = 'test-results/emergency-summary-print.pdf';
  await page.pdf({ path, format: 'A4', preferCSSPageSize: true, printBackground: true });
  const { count, pages } = pdfPages(path);
  expect(count).toBe(2);
  expect(pages).toHaveLength(count);
  for (const [i, raw] of pages.entries()) {
    const text = raw.replace(/\s+/g, ' ');
    const page1 = `page ${i + 1}`;
    expect(text, page1).toContain('PAT-TROIS');
    expect(text, page1).toContain('INS 2 79 03 51 215 189 89');
    expect(text, page1).toMatch(/INS (qualifiée|récupérée|provisoire)|Identité validée/);
    expect(text, page1).toMatch(/Imprimé par \S.* le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/);
    // No app chrome: card bar, simulator, tabs, buttons.
    for (const chrome of [
      'Lecteur simulé',
      'Simulateur',
      'Historique des accès',
      'Imprimer la synthèse',
      'Fermer le dossier',
      'Authentifié',
    ]) {
      expect(text, `${page1}: ${chrome}`).not.toContain(chrome);
    }
  }
  const all = pages.join('\n');
  expect(all).toContain('Allergies et intolérances');
  expect(all).toContain('PLAVIX');
  expect(all).toContain('STIMULATEUR CARDIAQUE');
  expect(all).toContain('Thyréostimuline');
  expect(all).toContain('REVAXIS');
  expect(all).toContain('Remboursements');
});

test('Reimbursements line by line with a filter, and the table stays inside its card at 1920×1080', async ({
  page,
  host,
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openDemoPatient(page, host.url);
  await depositCda(page, 'CNAM-HR-recent.xml', recentCnamHr());
  const section = page.getByTestId('reimbursements');
  const rows = section.locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const total = await rows.count();
  expect(total).toBeGreaterThan(3);
  await expect(section).toContainText(/PHARMACIE|CLINIQUE/);

  const fits = await section.evaluate((el) => {
    const table = el.querySelector('table');
    return table
      ? {
          table: table.getBoundingClientRect().right,
          card: el.getBoundingClientRect().right,
          scroll: table.scrollWidth,
          width: table.clientWidth,
        }
      : null;
  });
  expect(fits).not.toBeNull();
  expect(fits!.table).toBeLessThanOrEqual(fits!.card);
  expect(fits!.scroll).toBeLessThanOrEqual(fits!.width);

  const filter = section.getByLabel('Classe thérapeutique');
  const someClass = (await filter.locator('option').allTextContents()).find((o) => o !== 'Toutes') ?? '';
  await filter.selectOption({ label: someClass });
  const filtered = await rows.count();
  expect(filtered).toBeGreaterThan(0);
  expect(filtered).toBeLessThan(total);
  for (const c of await rows.locator('td:nth-child(6)').allTextContents()) expect(c).toBe(someClass);
  await expectNoSeriousA11yViolations(page, 'reimbursement lines at 1920×1080');
  await screenshot(page, 'emergency-summary-reimbursements-1920');
});
