// sql.js for the tests: the same SQLite build the CLI and the web app use, loaded from node_modules.
import { createRequire } from 'node:module';
import path from 'node:path';

export interface SqlJsStatement {
  bind(values: unknown[]): boolean;
  step(): boolean;
  get(params?: unknown, opts?: { useBigInt?: boolean }): unknown[];
  getColumnNames(): string[];
  run(values?: unknown[]): void;
  free(): boolean;
}

export interface SqlJsDatabase {
  run(sql: string, params?: unknown[]): SqlJsDatabase;
  exec(sql: string, params?: unknown[]): Array<{ columns: string[]; values: unknown[][] }>;
  prepare(sql: string): SqlJsStatement;
  export(): Uint8Array;
  close(): void;
}

export interface SqlJs {
  Database: new (data?: Uint8Array) => SqlJsDatabase;
}

let sql: Promise<SqlJs> | null = null;

export function loadSqlJs(): Promise<SqlJs> {
  if (sql) return sql;
  const require = createRequire(import.meta.url);
  const initSqlJs = require('sql.js') as (o: { locateFile: (f: string) => string }) => Promise<SqlJs>;
  const dist = path.dirname(require.resolve('sql.js/dist/sql-wasm.wasm'));
  sql = initSqlJs({ locateFile: (f) => path.join(dist, f) });
  return sql;
}
