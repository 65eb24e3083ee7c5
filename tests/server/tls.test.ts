/**
 * `npm start` over HTTPS (TLS_CERT/TLS_KEY): a class whose devices open the teacher's machine by
 * its network address needs a secure context for WebGPU. The server answers over TLS with the
 * certificate it was given, and plain HTTP is not answered on that port.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { useServer } from './helpers.ts';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'tls');
const cert = readFileSync(join(DIR, 'localhost.crt'));
const key = readFileSync(join(DIR, 'localhost.key'));

function get(url: string, ca: Buffer): Promise<{ status: number; body: string; peerCN: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      const cn = (res.socket as TLSSocket).getPeerCertificate().subject?.CN;
      const peerCN = Array.isArray(cn) ? cn[0] : cn;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, peerCN }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS (TLS_CERT, TLS_KEY)', () => {
  // The write limit is the server's default (rateLimit undefined), as `npm start` runs it.
  const srv = useServer(() => ({ power: false, rateLimit: undefined, tls: { cert, key } }));

  test('the URL says https, and the API answers over TLS with the given certificate', async () => {
    expect(srv.base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await get(`${srv.base}/healthz`, cert);
    expect(r.status).toBe(200);
    expect(r.peerCN).toBe('localhost');
    expect(JSON.parse(r.body)).toMatchObject({ ok: true });
  });

  test('a client that does not trust the certificate is refused; plain HTTP gets no page', async () => {
    await expect(get(`${srv.base}/healthz`, Buffer.from(''))).rejects.toThrow();
    const plain = await new Promise<number | 'error'>((resolve) => {
      const req = httpRequest(srv.base.replace('https:', 'http:') + '/healthz', (res) => resolve(res.statusCode ?? 0));
      req.on('error', () => resolve('error'));
      req.end();
    });
    expect(plain === 'error' || plain >= 400).toBe(true);
  });
});
