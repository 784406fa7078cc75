import { managedHostSettingsFile } from '../app/paths';

/**
 * What the desktop shell takes from its environment. A packaged build is what a hospital installs:
 * there the test switches are ignored, so nobody can start it on simulated cards that pass for real
 * ones, on test cards, or on a remote renderer that would get `window.api`.
 */
export interface ShellSwitches {
  simulation: boolean;
  /** Refuses test and demo cards. */
  production: boolean;
  /** The electron-vite dev server, while developing only. */
  devUrl: string | undefined;
  devTools: boolean;
  allowInsecureKey: boolean;
  /** The host settings file IT manages; a packaged build reads only the system one (paths.ts). */
  managedHostSettingsFile: string;
}

export function shellSwitches(env: NodeJS.ProcessEnv, packaged: boolean): ShellSwitches {
  if (packaged)
    return {
      simulation: false,
      production: true,
      devUrl: undefined,
      devTools: false,
      allowInsecureKey: env.POSTE_DMP_ALLOW_INSECURE_KEY === '1',
      managedHostSettingsFile: managedHostSettingsFile(env, true),
    };
  return {
    simulation: env.POSTE_DMP_SIMULATION === '1',
    production: false,
    devUrl: env.ELECTRON_RENDERER_URL,
    devTools: true,
    allowInsecureKey: env.POSTE_DMP_ALLOW_INSECURE_KEY === '1',
    managedHostSettingsFile: managedHostSettingsFile(env, false),
  };
}
