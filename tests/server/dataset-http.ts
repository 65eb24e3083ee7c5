/** Raw HTTP reads for the dataset suites: fetch would decode the content coding we test. */
import { request } from 'node:http';
import type { ResultDocument } from '../../src/shared/result.ts';
import { uniqueResult } from './helpers.ts';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A unique valid document reported by another adapter (the energy check does not read it). */
export function resultFrom(n: number, vendor: string, architecture: string): ResultDocument {
  const doc = uniqueResult(n);
  return { ...doc, environment: { ...doc.environment, adapter: { ...doc.environment.adapter, vendor, architecture } } };
}
