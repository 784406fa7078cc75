import { contextBridge, ipcRenderer } from 'electron';
import { alwaysConnected, buildApi, methodNames, type EventName } from '../shared/contract';
import { IPC_INVOKE, IPC_EVENT } from '../shared/ipc-channels';

/**
 * Exposes exactly the contract: one function per method and `on` for events. Raw ipcRenderer is
 * never exposed, and the main process validates every payload again.
 */
const api = buildApi(
  async (method, input) => {
    const response = (await ipcRenderer.invoke(IPC_INVOKE, method, input)) as
      { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
    if (response.ok) return response.value;
    // contextBridge keeps only an Error's message, so the code travels in it (see renderer api/errors.ts).
    throw new Error(`[${response.error.code}] ${response.error.message}`);
  },
  (event: EventName, listener) => {
    const handler = (_e: unknown, message: { event: EventName; payload: unknown }): void => {
      if (message.event === event) listener(message.payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => void ipcRenderer.removeListener(IPC_EVENT, handler);
  },
  methodNames,
  // IPC between the window and its own main process does not drop: nothing is ever missed.
  alwaysConnected,
);

contextBridge.exposeInMainWorld('api', api);
