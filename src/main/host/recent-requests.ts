import type { HostResponse } from '../host-api/protocol';

/**
 * Writes already answered by this host process, by request id: a workstation that lost the answer
 * (connection cut after the host wrote) retries with the same id and gets the first answer back
 * instead of writing twice. In memory and bounded: it covers retries to the same process. Retries
 * that reach another host, or this one after a restart, need the id recorded in the write's own
 * transaction — the PostgreSQL store's `host_requests` table (docs/host.md).
 */
export class RecentRequests {
  private readonly answers = new Map<string, { method: string; answer: Promise<HostResponse> }>();

  constructor(private readonly capacity = 10_000) {}

  once(key: string, method: string, run: () => Promise<HostResponse>): Promise<HostResponse> {
    const known = this.answers.get(key);
    if (known) {
      if (known.method === method) return known.answer;
      return Promise.resolve({
        ok: false,
        error: {
          code: 'CONFLICT',
          message: 'Requête refusée : cet identifiant de requête a déjà servi pour une autre opération.',
        },
      });
    }
    const answer = run().then((response) => {
      // The host could not reach its data: nothing was written, a retry must really run.
      if (!response.ok && response.error.code === 'UNAVAILABLE') this.answers.delete(key);
      return response;
    });
    this.answers.set(key, { method, answer });
    if (this.answers.size > this.capacity) {
      const oldest = this.answers.keys().next();
      if (!oldest.done) this.answers.delete(oldest.value);
    }
    return answer;
  }
}
