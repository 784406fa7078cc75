/**
 * Runs tasks one after another, in the order they were queued; a failed task does not block the
 * next. The one helper for "never interleave these": audit appends, card operations per reader,
 * PC/SC transmits per reader, simulated transmits.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Settles once every task queued so far has settled (never rejects). */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
