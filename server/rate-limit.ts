/**
 * Per-client write limits. The client key is an HMAC of the peer address with a random salt that
 * lives only in this process's memory and rotates every day, so no IP address (nor a stable
 * pseudonym of one) is ever stored, logged or comparable across days.
 *
 * Sized for a classroom behind one school address (NAT): 40 pupils who upload together right
 * after a demo all get through, while a flood from one address is cut to a trickle. Two token
 * buckets per client, and a write needs a token from both:
 *   - short term: `burst` tokens, refilled at `perMinute` (45, 30/min): a class of 40 at once,
 *     then one write every 2 s; a flood of 1,000 writes in a minute gets about 75 through;
 *   - long term (optional): `perHour` tokens, refilled at `perHour` per hour (600): a sustained
 *     stream from one address drops to 10/min after about half an hour.
 * See server/README.md for the reasoning.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface RateLimitConfig {
  /** Requests a client may make at once. */
  burst: number;
  /** Sustained refill rate of the burst bucket. */
  perMinute: number;
  /** Writes per hour over a longer run (a second bucket of this size, refilled hourly); none when absent. */
  perHour?: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { burst: 45, perMinute: 30, perHour: 600 };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

interface Client {
  short: Bucket;
  hourly: Bucket | null;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterS: number };

/** Refill `b` up to `capacity` at `ratePerMs` since its last update. */
function refill(b: Bucket, capacity: number, ratePerMs: number, t: number): void {
  b.tokens = Math.min(capacity, b.tokens + (t - b.updatedMs) * ratePerMs);
  b.updatedMs = t;
}

/** Whole seconds until `b` holds one token (at least 1). */
function secondsToToken(b: Bucket, ratePerMs: number): number {
  return Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000));
}

export class RateLimiter {
  private salt = randomBytes(32);
  private saltDay = '';
  private readonly clients = new Map<string, Client>();
  /** Bounded memory: past this many clients the least recently seen are forgotten. */
  private readonly maxClients = 50_000;

  constructor(private readonly config: RateLimitConfig, private readonly now: () => number = Date.now) {}

  private key(peer: string): string {
    const day = new Date(this.now()).toISOString().slice(0, 10);
    if (day !== this.saltDay) {
      this.salt = randomBytes(32);
      this.saltDay = day;
      this.clients.clear();
    }
    return createHmac('sha256', this.salt).update(peer).digest('base64url').slice(0, 22);
  }

  take(peer: string): RateDecision {
    const key = this.key(peer);
    const t = this.now();
    const { burst, perMinute, perHour } = this.config;
    const shortRate = perMinute / 60_000;
    const hourlyRate = perHour === undefined ? 0 : perHour / 3_600_000;
    const c = this.clients.get(key) ?? {
      short: { tokens: burst, updatedMs: t },
      hourly: perHour === undefined ? null : { tokens: perHour, updatedMs: t },
    };
    refill(c.short, burst, shortRate, t);
    if (c.hourly && perHour !== undefined) refill(c.hourly, perHour, hourlyRate, t);
    // Re-insert so Map order is least-recently-seen first.
    this.clients.delete(key);
    this.clients.set(key, c);
    if (this.clients.size > this.maxClients) {
      const oldest = this.clients.keys().next();
      if (!oldest.done) this.clients.delete(oldest.value);
    }
    const shortOk = c.short.tokens >= 1;
    const hourlyOk = c.hourly === null || c.hourly.tokens >= 1;
    if (shortOk && hourlyOk) {
      c.short.tokens -= 1;
      if (c.hourly) c.hourly.tokens -= 1;
      return { allowed: true };
    }
    const waits = [shortOk ? 0 : secondsToToken(c.short, shortRate), c.hourly && !hourlyOk ? secondsToToken(c.hourly, hourlyRate) : 0];
    return { allowed: false, retryAfterS: Math.max(...waits) };
  }
}
