import type { CardTransport, TransportEvent } from '../../../src/main/cards/transport/card-transport';

/** Polls a condition until it holds or the deadline passes (then fails with `what`). */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}

/** Records every transport event so tests can wait for one that already happened or is coming. */
export class EventRecorder {
  readonly events: TransportEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(transport: CardTransport) {
    this.unsubscribe = transport.onEvent((event) => {
      this.events.push(event);
      for (const wake of this.waiters) wake();
    });
  }

  /** Resolves with the first event at or after `fromIndex` matching the predicate. */
  waitFor(
    predicate: (event: TransportEvent) => boolean,
    options: { fromIndex?: number; timeoutMs?: number; what?: string } = {},
  ): Promise<TransportEvent> {
    const from = options.fromIndex ?? 0;
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.slice(from).find(predicate);
        if (!found) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${options.what ?? 'transport event'}; saw ${JSON.stringify(this.events.slice(from).map((e) => e.type))}`,
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      const wake = (): void => void check();
      this.waiters.add(wake);
      check();
    });
  }

  get mark(): number {
    return this.events.length;
  }

  dispose(): void {
    this.unsubscribe();
  }
}
