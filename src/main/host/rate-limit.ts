/**
 * Per-workstation limits of the DMP host. One token bucket per workstation CERTIFICATE (its SHA-256
 * fingerprint), shared by all its connections: a workstation cannot escape its rate by opening more
 * connections, and a workstation that floods only empties its own bucket — the others keep theirs.
 */
export interface HostLimits {
  /** Sustained requests per second allowed to one workstation certificate. */
  requestsPerSecond: number;
  /** Requests a workstation may send at once after a quiet period (the bucket's size). */
  burst: number;
  /** Requests in progress on one connection (also the HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS). */
  maxConcurrentStreams: number;
}

/**
 * Sane defaults for a desk workstation: opening a dossier is a handful of calls, a CDA import one
 * call per file; 20/s sustained with bursts of 100 is far above a person's pace and well below what
 * would let one machine crowd out the others.
 */
export const defaultHostLimits: HostLimits = { requestsPerSecond: 20, burst: 100, maxConcurrentStreams: 32 };

interface Bucket {
  tokens: number;
  at: number;
  /** The last time a refusal was logged: one log line per second of flooding, not one per request. */
  loggedAt: number;
}

export class WorkstationRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(
    private readonly limits: Pick<HostLimits, 'requestsPerSecond' | 'burst'>,
    now?: () => number,
  ) {
    this.now = now ?? Date.now;
  }

  private bucket(key: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.limits.burst, at: now, loggedAt: -Infinity };
      this.buckets.set(key, bucket);
    }
    const refill = (Math.max(0, now - bucket.at) / 1000) * this.limits.requestsPerSecond;
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + refill);
    bucket.at = now;
    return bucket;
  }

  /** Takes one token: 0 when the request may go on, else the milliseconds until a token is back. */
  take(key: string): number {
    const bucket = this.bucket(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.limits.requestsPerSecond) * 1000);
  }

  /** Runs `log` at most once a second per workstation. */
  noteRefusal(key: string, log: () => void): void {
    const bucket = this.bucket(key);
    const now = this.now();
    if (now - bucket.loggedAt >= 1000) {
      bucket.loggedAt = now;
      log();
    }
  }

  /** Forgets full buckets (a workstation quiet long enough to have refilled is as if new). */
  sweep(): void {
    for (const key of [...this.buckets.keys()]) {
      if (this.bucket(key).tokens >= this.limits.burst) this.buckets.delete(key);
    }
  }

  clear(): void {
    this.buckets.clear();
  }
}
