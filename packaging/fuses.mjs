// Electron fuses for the packaged app, flipped in the binary by the afterPack hook
// (packaging/after-pack.mjs). Each one closes a way to run code the app did not ship.
import { FuseV1Options, FuseVersion } from '@electron/fuses';

export const fuseConfig = {
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE would turn the signed binary into a plain Node interpreter.
  [FuseV1Options.RunAsNode]: false,
  // NODE_OPTIONS (--require, --import) would inject code at start-up.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect / --inspect-brk would open a debugger on the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Cookies and local storage encrypted with the OS keyring.
  [FuseV1Options.EnableCookieEncryption]: true,
  // app.asar checked against the hash embedded at build time, and nothing loaded outside it.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // file:// gets no extra privileges (the app uses app://).
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};
