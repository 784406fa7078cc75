/**
 * The renderer's link to the main-process services, as the renderer sees it. Events are pushed only
 * while the link is up: what main emitted during a gap is never replayed, so after a `reconnected`
 * every piece of state the renderer follows must be read again (the renderer's resync does it).
 *
 * - `connected`: the link is up and every event since the previous `connected`/`reconnected` arrived.
 * - `disconnected`: the link is down; calls fail at once with an `[UNAVAILABLE]` French message, and
 *   calls that were waiting for an answer were rejected (their outcome is unknown to the renderer).
 * - `reconnected`: the link is up again after a `disconnected`; state shown may be stale until re-read.
 *
 * Electron IPC is a link inside one process tree that never drops: it is always `connected`. The
 * loopback WebSocket of the browser host drops when the host stops or refuses a frame (it closes
 * that connection), and reconnects by itself with bounded back-off.
 */
export type ConnectionState = 'connected' | 'disconnected' | 'reconnected';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Failed attempts since the link went down (0 when up); lets the UI add a hint after a while. */
  attempts: number;
}

/**
 * Subscribes to the link's state. The listener is called at once with the current status, then on
 * every change; returns the unsubscribe function. Not an `on` event: it is produced by the transport,
 * not by the main process, and carries no payload main could validate.
 */
export type OnConnection = (listener: (status: ConnectionStatus) => void) => () => void;

/** A transport whose link cannot drop (Electron IPC, in-process fakes). */
export const alwaysConnected: OnConnection = (listener) => {
  listener({ state: 'connected', attempts: 0 });
  return () => undefined;
};
