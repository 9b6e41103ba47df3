/** The SQL engines a question can be answered on. D1 (SQLite) is the embedded default. */
export const queryDialects = ['d1', 'athena', 'bigquery', 'synapse'] as const;
export type QueryDialect = (typeof queryDialects)[number];
