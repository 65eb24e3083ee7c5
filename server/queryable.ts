/** The SQL interface the store and the migrations are written against (see db.ts for the backends). */

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** One structured log event (the server writes each as a JSON line). */
export type MigrationLog = (event: { msg: string } & Record<string, unknown>) => void;
