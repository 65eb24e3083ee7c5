/**
 * Versioned SQL migrations, applied in order, never edited once released (add a new one).
 * Privacy by construction: there is no column for an IP address, a user agent or a timestamp;
 * `received_day` is a DATE. The deletion token and the idempotency key are stored only as SHA-256.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'results',
    sql: `
      CREATE TABLE results (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        token_hash TEXT NOT NULL,
        received_day DATE NOT NULL,
        preset TEXT NOT NULL,
        suite_version TEXT NOT NULL,
        vendor TEXT NOT NULL,
        architecture TEXT NOT NULL,
        general_j_p50 DOUBLE PRECISION,
        specialized_j_p50 DOUBLE PRECISION,
        ratio_p50 DOUBLE PRECISION,
        doc JSONB NOT NULL
      );
      CREATE INDEX results_group_idx ON results (vendor, architecture, preset, suite_version);
    `,
  },
  {
    version: 2,
    name: 'idempotency key',
    // SHA-256 of the client's Idempotency-Key (never the key itself): a retry whose 201 answer
    // was lost proves it is the original uploader and gets a fresh token. NULL for rows uploaded
    // without a key, and for every row before this migration: those can never be replayed.
    sql: `ALTER TABLE results ADD COLUMN idempotency_key_hash TEXT;`,
  },
];
