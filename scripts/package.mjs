// `npm run package`: .deb and AppImage of the desktop app (electron-builder.config.mjs), with the
// Electron fuses flipped (packaging/fuses.mjs) and pcsclite rebuilt for Electron.
// electron-builder downloads the Electron distribution and headers; where Electron is not
// available (the build machines install with ELECTRON_SKIP_BINARY_DOWNLOAD=1), say so and stop.
import { spawnSync } from 'node:child_process';
import { electronBinaryPath } from './electron-binary.mjs';

if (!electronBinaryPath() || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1') {
  console.error(
    "Poste DMP : empaquetage impossible sur ce poste — le binaire Electron n'y est pas installé (téléchargement désactivé). " +
      'La configuration (electron-builder.config.mjs, packaging/fuses.mjs) est vérifiée par `npx vitest run --project unit tests/unit/packaging`. ' +
      'Lancez `npm run package` sur un poste de build avec Electron et accès réseau.',
  );
  process.exit(1);
}

const env = { ...process.env, POSTE_DMP_PACKAGE: '1' };
const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit', env });
if (build.status !== 0) process.exit(build.status ?? 1);
const pack = spawnSync('npx', ['electron-builder', '--linux', '--config', 'electron-builder.config.mjs'], {
  stdio: 'inherit',
  env,
});
process.exit(pack.status ?? 1);
