import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumExecutablePath } from './tests/support/chromium';

/** Debian's Chromium, headless, against the browser host (no Playwright browser download). */
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/playwright',
  timeout: 60_000,
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
