// electron-builder afterPack hook: flip the Electron fuses in the packed binary before the
// .deb and AppImage are made from it.
import { join } from 'node:path';
import { flipFuses } from '@electron/fuses';
import { fuseConfig } from './fuses.mjs';

/** @param {{ appOutDir: string, electronPlatformName: string, packager: { executableName: string } }} context */
export default async function afterPack(context) {
  if (context.electronPlatformName !== 'linux')
    throw new Error('Poste DMP : seul Linux est empaqueté (.deb, AppImage).');
  const binary = join(context.appOutDir, context.packager.executableName);
  await flipFuses(binary, fuseConfig);
  return binary;
}
