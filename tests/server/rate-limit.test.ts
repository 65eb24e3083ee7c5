/**
 * The default write limit against the two cases it is sized for: a class of 40 behind one school
 * address uploads within two minutes and loses nothing; a flood of 1,000 writes a minute from one
 * address is mostly refused with 429 + Retry-After. Fake clock for the limiter itself, and the
 * real server over real HTTP for the class and a burst of flood.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_RATE_LIMIT, RateLimiter } from '../../server/rate-limit.ts';
import { postJson, total, uniqueResult, useServer } from './helpers.ts';

const SCHOOL = '203.0.113.7';
const T0 = Date.UTC(2026, 10, 23, 10);

describe('default write limit (fake clock)', () => {
  test('40 uploads from one address at once are all accepted', () => {
    const rl = new RateLimiter(DEFAULT_RATE_LIMIT, () => T0);
    const decisions = Array.from({ length: 40 }, () => rl.take(SCHOOL));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(40);
  });

  test('40 uploads from one address spread over two minutes, then another class, are all accepted', () => {
    let now = T0;
    const rl = new RateLimiter(DEFAULT_RATE_LIMIT, () => now);
    for (let i = 0; i < 40; i++) {
      expect(rl.take(SCHOOL), `upload ${i}`).toEqual({ allowed: true });
      now += 3_000; // 40 × 3 s = 2 min
    }
    // The next lesson, an hour later, from the same school.
    now += 3_600_000;
    for (let i = 0; i < 40; i++) expect(rl.take(SCHOOL).allowed).toBe(true);
  });

  test('a flood of 1,000 writes in a minute from one address is mostly refused, with Retry-After', () => {
    let now = T0;
    const rl = new RateLimiter(DEFAULT_RATE_LIMIT, () => now);
    let allowed = 0;
    const waits: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      const d = rl.take(SCHOOL);
      if (d.allowed) allowed++;
      else waits.push(d.retryAfterS);
      now += 60;
    }
    // burst 45 + 30 refilled during the minute.
    expect(allowed).toBeLessThanOrEqual(DEFAULT_RATE_LIMIT.burst + DEFAULT_RATE_LIMIT.perMinute + 1);
    expect(allowed).toBeGreaterThanOrEqual(DEFAULT_RATE_LIMIT.burst);
    expect(waits.length).toBeGreaterThan(900);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...waits)).toBeLessThanOrEqual(60 / DEFAULT_RATE_LIMIT.perMinute);
    // Another address is not affected.
    expect(rl.take('198.51.100.1')).toEqual({ allowed: true });
  });

  test('a flood kept up for hours is held to the hourly cap', () => {
    let now = T0;
    const rl = new RateLimiter(DEFAULT_RATE_LIMIT, () => now);
    const perHour = DEFAULT_RATE_LIMIT.perHour ?? 0;
    expect(perHour).toBeGreaterThan(0);
    let allowed = 0;
    // 1,000 a minute for three hours.
    for (let i = 0; i < 180_000; i++) {
      if (rl.take(SCHOOL).allowed) allowed++;
      now += 60;
    }
    // The hourly bucket starts full, then refills perHour an hour.
    expect(allowed).toBeLessThanOrEqual(perHour * 4 + 1);
    expect(allowed).toBeLessThan(30 * 180);
  });

  test('the hourly cap alone sets Retry-After once it is spent', () => {
    let now = T0;
    const rl = new RateLimiter({ burst: 100, perMinute: 100, perHour: 3 }, () => now);
    for (let i = 0; i < 3; i++) expect(rl.take(SCHOOL).allowed).toBe(true);
    // One token every 20 min at 3/h.
    expect(rl.take(SCHOOL)).toEqual({ allowed: false, retryAfterS: 1_200 });
    now += 1_200_000;
    expect(rl.take(SCHOOL).allowed).toBe(true);
  });
});

describe('default write limit over real HTTP', () => {
  // The default limit (rateLimit undefined), as `npm start` runs it; every request comes from 127.0.0.1.
  const srv = useServer(() => ({ rateLimit: undefined }));

  test('a class of 40 uploading together from one address: every upload accepted', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => postJson(srv.base, uniqueResult(5_000 + i))));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 40 }, () => 201));
    expect(await total(srv.base)).toBe(40);
  });

  test('then a flood from the same address is refused with 429 and Retry-After', async () => {
    const answers: { status: number; headers: Headers }[] = [];
    for (let i = 0; i < 100; i++) answers.push(await postJson(srv.base, uniqueResult(6_000 + i)));
    const refused = answers.filter((a) => a.status === 429);
    // 5 tokens left from the burst, plus what refilled at one per 2 s while this ran.
    expect(refused.length).toBeGreaterThan(50);
    for (const r of refused) expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
