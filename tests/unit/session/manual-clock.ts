import type { Scheduler } from '../../../src/main/session/session-rules';

/** Time moves only when the test says so; timers fire in order as it passes. */
export class ManualClock implements Scheduler {
  private t = Date.parse('2026-03-02T08:00:00Z');
  private timers: { id: number; at: number; run: () => void }[] = [];
  private nextId = 1;
  now(): number {
    return this.t;
  }
  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, at: this.t + ms, run });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    const target = this.t + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.t = due.at;
      due.run();
    }
    this.t = target;
  }
}
