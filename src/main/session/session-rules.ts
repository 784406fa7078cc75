/**
 * Time rules of the clinician session. Defaults (assumptions, see docs/access-rules.md):
 * - the session locks after 10 minutes without a request (PIN to resume);
 * - bris de glace and Centre 15 cover one patient and end when that patient's context closes, or
 *   after 60 minutes, whichever comes first (reopening needs a new reason, audited again).
 */
export interface SessionRules {
  inactivityLockMs: number;
  emergencyAccessMs: number;
}

export const defaultSessionRules: SessionRules = {
  inactivityLockMs: 10 * 60_000,
  emergencyAccessMs: 60 * 60_000,
};

/** Clock and timers, injected so tests drive time instead of waiting for it. */
export interface Scheduler {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (run, ms) => {
    const handle = setTimeout(run, ms);
    // A pending lock must not keep a CLI or a test process alive.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A one-shot deadline that can be pushed back or cancelled; fires `run` once it has really passed. */
export class Deadline {
  private handle: unknown = null;
  private at = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly run: () => void,
  ) {}

  /** (Re)sets the deadline to `ms` from now. */
  set(ms: number): void {
    this.at = this.scheduler.now() + ms;
    if (this.handle === null) this.arm(ms);
  }

  cancel(): void {
    if (this.handle !== null) this.scheduler.clearTimeout(this.handle);
    this.handle = null;
  }

  get active(): boolean {
    return this.handle !== null;
  }

  private arm(ms: number): void {
    this.handle = this.scheduler.setTimeout(() => {
      this.handle = null;
      const left = this.at - this.scheduler.now();
      // Pushed back while the timer was pending: wait for the rest rather than firing early.
      if (left > 0) this.arm(left);
      else this.run();
    }, ms);
  }
}
