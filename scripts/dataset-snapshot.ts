/**
 * `npm run dataset:snapshot`: write today's (UTC) snapshot of the open dataset, the JSON Lines
 * export gzip-compressed with its SHA-256 beside it, into SNAPSHOT_DIR (./data/snapshots).
 * Reads DATABASE_URL (PostgreSQL) or DATA_DIR (PGlite, ./data/db; PGlite admits one process,
 * so stop the server first, or let it write the day's snapshot itself). `--day YYYY-MM-DD`
 * names the file for another day (the rows are always today's). An existing snapshot is never
 * replaced.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '../server/db.ts';
import { writeSnapshot } from '../server/snapshot.ts';

const { values } = parseArgs({ options: { day: { type: 'string' } } });
const day = values.day ?? new Date().toISOString().slice(0, 10);
if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
  process.stderr.write(`--day must be a day written YYYY-MM-DD, got "${day}"\n`);
  process.exit(2);
}
const dir = resolve(process.env.SNAPSHOT_DIR || './data/snapshots');
const db = await openDb(process.env.DATABASE_URL ? { kind: 'postgres', url: process.env.DATABASE_URL } : { kind: 'pglite', dataDir: resolve(process.env.DATA_DIR || './data/db') });
try {
  const s = await writeSnapshot(db, dir, day);
  process.stdout.write(`${s.created ? 'wrote' : 'kept existing'} ${resolve(dir, s.file)} (${s.bytes} bytes)\n${s.sha256}  ${s.file}\n`);
} finally {
  await db.close();
}
