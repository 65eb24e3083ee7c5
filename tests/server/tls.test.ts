/**
 * `npm start` over HTTPS (TLS_CERT/TLS_KEY): a class whose devices open the teacher's machine by
 * its network address needs a secure context for WebGPU. The server answers over TLS with the
 * certificate it was given, and plain HTTP is not answered on that port.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../../server/app.ts';

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
  let server: RunningServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'fal-tls-'));
    server = await startServer({ port: 0, log: false, staticDir: '/nonexistent-dist', power: false, dataDir, tls: { cert, key } });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the URL says https, and the API answers over TLS with the given certificate', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await get(`${server.url}/healthz`, cert);
    expect(r.status).toBe(200);
    expect(r.peerCN).toBe('localhost');
    expect(JSON.parse(r.body)).toMatchObject({ ok: true });
  });

  test('a client that does not trust the certificate is refused; plain HTTP gets no page', async () => {
    await expect(get(`${server.url}/healthz`, Buffer.from(''))).rejects.toThrow();
    const plain = await new Promise<number | 'error'>((resolve) => {
      const req = httpRequest(server.url.replace('https:', 'http:') + '/healthz', (res) => resolve(res.statusCode ?? 0));
      req.on('error', () => resolve('error'));
      req.end();
    });
    expect(plain === 'error' || plain >= 400).toBe(true);
  });
});
