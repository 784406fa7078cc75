/**
 * Debian's Chromium as the e2e tests and the UI bench launch it: no Playwright browser download,
 * no GPU, and no background traffic (this network refuses it, many connections at a time).
 */
export const chromiumExecutablePath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
