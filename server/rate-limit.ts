/**
 * Per-client token buckets for writes. The client key is an HMAC of the peer address with a
 * random salt that lives only in this process's memory and rotates every day, so no IP address
 * (nor a stable pseudonym of one) is ever stored, logged or comparable across days.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface RateLimitConfig {
  /** Requests a client may make in a burst. */
  burst: number;
  /** Sustained refill rate. */
  perMinute: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { burst: 20, perMinute: 10 };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterS: number };

export class RateLimiter {
  private salt = randomBytes(32);
  private saltDay = '';
  private readonly buckets = new Map<string, Bucket>();
  /** Bounded memory: past this many clients the least recently seen are forgotten. */
  private readonly maxClients = 50_000;

  constructor(private readonly config: RateLimitConfig, private readonly now: () => number = Date.now) {}

  private key(peer: string): string {
    const day = new Date(this.now()).toISOString().slice(0, 10);
    if (day !== this.saltDay) {
      this.salt = randomBytes(32);
      this.saltDay = day;
      this.buckets.clear();
    }
    return createHmac('sha256', this.salt).update(peer).digest('base64url').slice(0, 22);
  }

  take(peer: string): RateDecision {
    const key = this.key(peer);
    const t = this.now();
    const ratePerMs = this.config.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.config.burst, updatedMs: t };
    b.tokens = Math.min(this.config.burst, b.tokens + (t - b.updatedMs) * ratePerMs);
    b.updatedMs = t;
    // Re-insert so Map order is least-recently-seen first.
    this.buckets.delete(key);
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxClients) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000)) };
  }
}
