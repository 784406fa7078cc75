import { render, type RenderResult } from '@testing-library/react';
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';
import type { Api } from '../../../../src/shared/contract';
import { useStore } from '../../../../src/renderer/src/state/store';

const initialState = useStore.getState();

afterEach(() => {
  cleanup();
  delete window.api;
  useStore.setState(initialState, true);
});

/** Renders with `window.api` set to the given fake, the way the Electron preload would. */
export function renderWithApi(ui: React.ReactElement, api: Api): RenderResult {
  window.api = api;
  return render(ui);
}
