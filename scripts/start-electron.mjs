// `npm start`: the desktop app. Where the Electron binary was not downloaded (as on the build
// machines), say so in one line and point to the browser host instead of failing with a stack trace.
import { spawnSync } from 'node:child_process';
import { electronBinaryPath } from './electron-binary.mjs';

const electronBinary = electronBinaryPath();
if (!electronBinary) {
  console.error(
    "Poste DMP : le binaire Electron n'est pas installé sur ce poste (téléchargement désactivé) — lancez `npm run web` pour utiliser l'application dans le navigateur.",
  );
  process.exit(1);
}

// The pcsclite addon in node_modules is built for Node (tests, browser host). Electron needs it
// built for its own ABI: check first, and only then ask for the rebuild.
const probe = spawnSync(electronBinary, ['-e', "require('pcsclite')"], {
  env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  encoding: 'utf8',
});
if (probe.status !== 0 && /NODE_MODULE_VERSION/.test(probe.stderr)) {
  console.error(
    'Poste DMP : le module pcsclite doit être recompilé pour Electron — lancez `npx @electron/rebuild -w pcsclite` puis `npm start` (les tests Node demanderont ensuite `npm rebuild pcsclite`).',
  );
  process.exit(1);
}

const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(electronBinary, ['.'], { stdio: 'inherit', env: process.env });
process.exit(run.status ?? 0);
