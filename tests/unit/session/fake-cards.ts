import type { PinState, ReaderView } from '../../../src/shared/contract';
import type { SessionCards } from '../../../src/main/session/session-service';

/** Two readers the test fills by hand; the PIN check compares with `correctPin` and keeps the buffer it was given. */
export class FakeCards implements SessionCards {
  views: ReaderView[] = [
    { name: 'CPS', card: null },
    { name: 'Vitale', card: null },
  ];
  private listener: ((r: ReaderView[]) => void) | null = null;
  lastPin: Uint8Array | null = null;
  constructor(private readonly correctPin = '1234') {}
  readers(): ReaderView[] {
    return this.views;
  }
  onChange(listener: (r: ReaderView[]) => void): () => void {
    this.listener = listener;
    return () => (this.listener = null);
  }
  set(reader: string, card: ReaderView['card']): void {
    this.views = this.views.map((v) => (v.name === reader ? { ...v, card } : v));
    this.listener?.(this.views);
  }
  async verifyPin(_reader: string, pin: Uint8Array): Promise<{ success: boolean; pin: PinState }> {
    this.lastPin = pin;
    const ok = new TextDecoder().decode(pin) === this.correctPin;
    return { success: ok, pin: { triesLeft: ok ? 3 : 2, triesMax: 3, blocked: false } };
  }
}
