import type { Api } from '../../../shared/contract';
import { createWsBridgeApi } from './ws-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload (or by a test); absent in the browser host. */
    api?: Api;
  }
}

let bridgeApi: Api | null = null;

/** The contract, whichever transport carries it: Electron's preload or the loopback bridge. */
export function getApi(): Api {
  // window.api is read on every call (not cached) so component tests can swap in a fake per test.
  if (window.api) return window.api;
  bridgeApi ??= createWsBridgeApi(window.location, window.history);
  return bridgeApi;
}
