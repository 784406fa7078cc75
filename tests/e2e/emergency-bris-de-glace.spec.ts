import { test, expect } from './support/web-host';
import { DEMO_INS_KEY, expectNoSeriousA11yViolations, screenshot, signIn } from './support/journey';

const REASON = 'Patient inconscient, détresse respiratoire, aucun proche joignable';

test('Emergency doctor: no Vitale → INS search → bris de glace with reason → red banner → audited in the access history', async ({
  page,
  host,
}) => {
  await page.goto(host.url);
  await signIn(page, /urgentiste/i);

  const search = page.getByRole('region', { name: 'Rechercher un dossier' });
  await expect(search).toBeVisible();
  await search.getByLabel('INS (matricule ou matricule@OID)').fill(DEMO_INS_KEY);
  await search.getByRole('button', { name: 'Rechercher' }).click();
  const results = search.getByRole('list', { name: 'Dossiers trouvés' });
  await expect(results).toContainText('PAT-TROIS');
  await expectNoSeriousA11yViolations(page, 'search results');

  await results.getByRole('button', { name: 'Bris de glace…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Accès en bris de glace' });
  const submit = dialog.getByRole('button', { name: 'Ouvrir en bris de glace' });
  await expect(dialog.getByLabel('Motif (obligatoire)')).toBeFocused();
  await expect(submit).toBeDisabled();
  await dialog.getByLabel('Motif (obligatoire)').fill('   ');
  await expect(submit).toBeDisabled();
  await dialog.getByLabel('Motif (obligatoire)').fill(REASON);
  await expectNoSeriousA11yViolations(page, 'bris de glace dialog');
  await screenshot(page, 'emergency-bris-de-glace-dialog');
  await submit.click();

  const alert = page.getByTestId('access-banner');
  await expect(alert).toHaveAttribute('role', 'alert');
  await expect(alert).toContainText(`Accès en bris de glace — motif : ${REASON}`);
  await expect(page.getByRole('region', { name: 'Patient' })).toContainText('PAT-TROIS');
  await expect(page.getByTestId('allergies')).toContainText(/parac[ée]tamol/i);
  await expectNoSeriousA11yViolations(page, 'summary under bris de glace');
  await screenshot(page, 'emergency-bris-de-glace-summary');

  await page.getByRole('tab', { name: 'Historique des accès' }).click();
  const history = page.getByRole('table', { name: 'Historique des accès' });
  const bdgRow = history.getByRole('row').filter({ hasText: REASON }).first();
  await expect(bdgRow).toContainText('Bris de glace');
  await expect(bdgRow).toContainText('HADDAD');
  // The banner stays up whatever tab is shown.
  await expect(alert).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'access history');
  await screenshot(page, 'emergency-bris-de-glace-history');
});

test('Centre 15 is offered to a CPS médecin; the main process refuses a non-regulating doctor in plain French', async ({
  page,
  host,
}) => {
  await page.goto(host.url);
  await signIn(page, /urgentiste/i);
  const search = page.getByRole('region', { name: 'Rechercher un dossier' });
  await search.getByLabel('INS (matricule ou matricule@OID)').fill(DEMO_INS_KEY);
  await search.getByRole('button', { name: 'Rechercher' }).click();
  await search.getByRole('button', { name: 'Centre 15…' }).click();

  const dialog = page.getByRole('dialog', { name: 'Accès Centre 15 (régulation)' });
  await dialog.getByLabel('Motif (obligatoire)').fill('Appel au 15 : malaise sur la voie publique');
  await dialog.getByRole('button', { name: 'Ouvrir en mode Centre 15' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(/réservé au médecin régulateur/);
  await expect(page.getByTestId('access-banner')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Patient' })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page, 'centre 15 refusal');
  await screenshot(page, 'emergency-centre15-refusal');
});
