import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../../src/main/concurrency/serial-queue';

describe('SerialQueue', () => {
  it('runs tasks one at a time, in queueing order, whatever their durations and failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ ticks: fc.nat(3), fails: fc.boolean() }), { maxLength: 12 }),
        async (tasks) => {
          const queue = new SerialQueue();
          const events: string[] = [];
          let running = 0;
          const results = tasks.map((t, i) =>
            queue
              .run(async () => {
                running++;
                events.push(`start ${i}`);
                expect(running).toBe(1);
                for (let k = 0; k < t.ticks; k++) await Promise.resolve();
                running--;
                events.push(`end ${i}`);
                if (t.fails) throw new Error(`task ${i}`);
                return i;
              })
              .then(
                (v) => ({ ok: true, v }),
                (e: Error) => ({ ok: false, v: e.message }),
              ),
          );
          await queue.idle();
          // Independent restatement: strictly sequential, in order; each caller gets its own outcome.
          expect(events).toEqual(tasks.flatMap((_, i) => [`start ${i}`, `end ${i}`]));
          expect(await Promise.all(results)).toEqual(
            tasks.map((t, i) => (t.fails ? { ok: false, v: `task ${i}` } : { ok: true, v: i })),
          );
        },
      ),
    );
  });
});
