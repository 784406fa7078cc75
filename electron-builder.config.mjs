// `npm run package`: the desktop app as a .deb and an AppImage (see README, "Package").
// Tested as configuration by tests/unit/packaging/packaging-config.test.ts.

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'fr.poste-dmp.desktop',
  productName: 'Poste DMP',
  directories: { output: 'dist', buildResources: 'packaging' },
  // The bundle built with POSTE_DMP_PACKAGE=1 (no simulator), its runtime dependencies, and the
  // resources minus the simulator's card profiles. Only electron-vite's outputs: out/cli and out/host
  // are bundles for plain node (the CLI's V8 code cache among them), which the packaged app cannot run.
  files: [
    'out/main/**',
    'out/preload/**',
    'out/renderer/**',
    'package.json',
    'resources/**',
    '!resources/cards/**',
    '!out/main/web-host.js',
  ],
  asar: true,
  // pcsclite is a native addon: rebuilt against Electron's headers (@electron/rebuild) and kept
  // outside the archive so it can be loaded.
  npmRebuild: true,
  nativeRebuilder: 'sequential',
  asarUnpack: ['**/*.node'],
  afterPack: './packaging/after-pack.mjs',
  linux: {
    target: ['deb', 'AppImage'],
    executableName: 'poste-dmp',
    category: 'Office',
    maintainer: 'Poste DMP',
  },
  deb: {
    // The PC/SC daemon and its library: the card readers.
    depends: ['pcscd', 'libpcsclite1'],
  },
};

export default config;
