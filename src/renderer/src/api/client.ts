import type { Api } from '../../../shared/contract';
import { createWsBridgeApi } from './ws-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser host. */
    api?: Api;
  }
}

let api: Api | null = null;

/** The contract, whichever transport carries it: Electron's preload or the loopback bridge. */
export function getApi(): Api {
  api ??= window.api ?? createWsBridgeApi(window.location, window.history);
  return api;
}
