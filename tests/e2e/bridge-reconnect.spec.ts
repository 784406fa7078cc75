import type { Page, WebSocketRoute } from '@playwright/test';
import { test, expect } from './support/web-host';

/**
 * The page's bridge to the browser host drops; while it is down the CPS is pulled (from another
 * tab: this page's own actions are disabled). The event is lost with the link; once the page has
 * reconnected it must read the state again and show no card and no authenticated session.
 *
 * The drop is made by Playwright's WebSocket routing: the page's bridge connections go through the
 * test, which closes the current one as the host would, and holds new ones until the gap is over.
 */

function simulatedReader(page: Page, readerLabel: string) {
  return page
    .getByRole('complementary', { name: 'Simulateur de cartes' })
    .getByLabel(readerLabel)
    .locator('xpath=..');
}

async function insertCard(page: Page, readerLabel: string, cardLabel: RegExp): Promise<void> {
  const reader = simulatedReader(page, readerLabel);
  const select = reader.getByRole('combobox');
  const option = select.locator('option', { hasText: cardLabel });
  await select.selectOption({ value: (await option.first().getAttribute('value')) ?? '' });
  await reader.getByRole('button', { name: 'Insérer' }).click();
}

test('a CPS pulled while the bridge is down is not shown once it reconnects', async ({
  page,
  host,
  browser,
}) => {
  let reopen: () => void = () => undefined;
  let gap: Promise<void> | null = null;
  const links: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/bridge\?token=/, async (ws) => {
    // During the gap a new connection waits (the page sees an attempt under way), then goes through.
    if (gap) await gap;
    ws.connectToServer();
    links.push(ws);
  });

  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Bienvenue' })).toBeVisible();
  await insertCard(page, 'Lecteur simulé CPS', /généraliste/i);
  await page.getByLabel('Code à 4 chiffres').fill('1234');
  await page.getByRole('button', { name: 'Valider' }).click();
  const cardBar = page.getByRole('region', { name: 'Lecteurs de cartes' });
  await expect(cardBar.getByRole('status').filter({ hasText: 'Authentifié' })).toBeVisible();
  await expect(cardBar.getByTestId('reader-Lecteur simulé CPS')).toContainText('CPS');

  gap = new Promise<void>((resolve) => (reopen = resolve));
  await links.at(-1)!.close({ code: 1011, reason: 'test: link dropped' });

  const banner = page.getByTestId('connection-banner');
  await expect(banner).toContainText('Connexion au service local interrompue — reconnexion…');
  await expect(cardBar).toContainText('État des lecteurs inconnu');
  await expect(cardBar.getByTestId('reader-Lecteur simulé CPS')).toHaveCount(0);
  // Every action is disabled while down (the simulator's buttons included).
  await expect(page.locator('.app-body')).toHaveAttribute('inert', '');
  await page.screenshot({ path: 'test-results/bridge-reconnect-down.png', fullPage: true });

  // Another tab on the same host pulls the CPS; the first page's link is down and misses the event.
  const other = await browser.newPage();
  await other.goto(host.url);
  await simulatedReader(other, 'Lecteur simulé CPS').getByRole('button', { name: 'Retirer' }).click();
  await expect(
    other.getByRole('region', { name: 'Lecteurs de cartes' }).getByTestId('reader-Lecteur simulé CPS'),
  ).toContainText('Vide');
  await other.close();

  reopen();
  gap = null;
  await expect(banner).toHaveCount(0);
  await expect(cardBar.getByTestId('reader-Lecteur simulé CPS')).toContainText('Vide');
  await expect(cardBar.getByTestId('reader-Lecteur simulé Vitale')).toContainText('Vide');
  await expect(cardBar.getByRole('status').filter({ hasText: 'Authentifié' })).toHaveCount(0);
  // Pulling the CPS locked the session (main's rule): the page shows that, not the patient's dossier.
  await expect(page.getByRole('heading', { name: 'Session verrouillée' })).toBeVisible();
  await page.screenshot({ path: 'test-results/bridge-reconnect-back.png', fullPage: true });
});
