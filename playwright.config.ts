import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumExecutablePath } from './tests/support/chromium';

/** Debian's Chromium, headless, against the browser host (no Playwright browser download). */
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/playwright',
  // A ceiling, not a target: on the shared 2-core CI machine under load, one journey with several axe
  // scans took over 60 s (gp-family); speed is measured by `npm run bench`, never here.
  timeout: 180_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    viewport: { width: 1366, height: 768 },
    locale: 'fr-FR',
    launchOptions: {
      executablePath: chromiumExecutablePath(),
      args: [...chromiumArgs],
    },
    trace: 'off',
  },
});
