// The part of sql.js (https://sql.js.org) Palimpsest uses.
declare module 'sql.js' {
  export type SqlValue = number | string | Uint8Array | null;
  export interface QueryExecResult {
    columns: string[];
    values: SqlValue[][];
  }
  export interface Statement {
    bind(values?: SqlValue[] | Record<string, SqlValue>): boolean;
    step(): boolean;
    get(params?: SqlValue[] | null): SqlValue[];
    /** With useBigInt, INTEGER values come back as BigInt (exact 64-bit). */
    get(params: SqlValue[] | null, config: { useBigInt: true }): Array<SqlValue | bigint>;
    run(values?: Array<SqlValue | bigint>): void;
    getColumnNames(): string[];
    free(): boolean;
    reset(): void;
    getSQL(): string;
  }
  export interface Database {
    exec(sql: string, params?: SqlValue[]): QueryExecResult[];
    run(sql: string, params?: Array<SqlValue | bigint>): Database;
    prepare(sql: string, params?: SqlValue[]): Statement;
    iterateStatements(sql: string): IterableIterator<Statement>;
    getRowsModified(): number;
    close(): void;
    export(): Uint8Array;
  }
  export interface SqlJsStatic {
    Database: new (data?: ArrayLike<number> | Uint8Array | null) => Database;
  }
  export interface InitOptions {
    wasmBinary?: ArrayBuffer | Uint8Array;
    locateFile?: (file: string) => string;
  }
  export default function initSqlJs(options?: InitOptions): Promise<SqlJsStatic>;
}
