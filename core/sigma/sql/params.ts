/**
 * Bound parameters: the compiler writes an opaque marker per value while it builds SQL in pieces, and
 * `finalizeParams` numbers them in textual order in the dialect's own style (`?1`, `?`, `@p1`). Numbered
 * dialects bind equal values once; positional ones (`?`) repeat a value at each occurrence. Values beyond
 * the engine's limit (D1: 100) are inlined as escaped literals. The reserved time-window parameters always
 * stay bound, first.
 *
 * `inlineLiterals` is the export form: every placeholder outside string literals and quoted identifiers
 * replaced by the dialect's literal for its value.
 */
import type { ParamValue, SqlDialect } from './dialect';

const markerPattern = /\uE000(\d+)\uE000/g;

export interface ParamSink {
  readonly bind: (value: ParamValue) => string;
  /** A parameter the caller binds later (the time window); never inlined, never merged. */
  readonly reserve: () => string;
  readonly values: readonly ParamValue[];
  readonly reserved: ReadonlySet<number>;
}

export function newParamSink(): ParamSink {
  const values: ParamValue[] = [];
  const reserved = new Set<number>();
  return {
    values,
    reserved,
    bind(value) {
      values.push(value);
      return `\uE000${values.length - 1}\uE000`;
    },
    reserve() {
      values.push(null);
      reserved.add(values.length - 1);
      return `\uE000${values.length - 1}\uE000`;
    },
  };
}

export function literalFor(dialect: SqlDialect, value: ParamValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return dialect.booleanLiteral(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write the number ${value} as SQL`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  return dialect.stringLiteral(value);
}

const valueKey = (value: ParamValue) => `${typeof value}:${String(value)}`;

export function finalizeParams(sqlWithMarkers: string, sink: ParamSink, dialect: SqlDialect): { sql: string; params: ParamValue[] } {
  const params: ParamValue[] = [];
  const numberOfId = new Map<number, number>();
  const numberOfValue = new Map<string, number>();
  const sql = sqlWithMarkers.replace(markerPattern, (_m, idText: string) => {
    const id = Number(idText);
    const value = sink.values[id]!;
    const reserved = sink.reserved.has(id);
    if (dialect.positionalParams) {
      if (!reserved && params.length >= dialect.maxParams) return literalFor(dialect, value);
      params.push(value);
      return dialect.placeholder(params.length);
    }
    const known = numberOfId.get(id) ?? (reserved ? undefined : numberOfValue.get(valueKey(value)));
    if (known !== undefined) {
      numberOfId.set(id, known);
      return dialect.placeholder(known);
    }
    if (!reserved && params.length >= dialect.maxParams) return literalFor(dialect, value);
    params.push(value);
    const n = params.length;
    numberOfId.set(id, n);
    if (!reserved) numberOfValue.set(valueKey(value), n);
    return dialect.placeholder(n);
  });
  return { sql, params };
}

/** Replaces placeholders by literals, skipping string literals and quoted identifiers. */
export function inlineLiterals(sql: string, params: readonly ParamValue[], dialect: SqlDialect): string {
  let out = '';
  let i = 0;
  let positional = 0;
  const { stringEscape, identifierQuotes } = dialect.lexical;
  outer: while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'") {
      let j = i + 1;
      while (j < sql.length) {
        if (stringEscape === 'backslash' && sql[j] === '\\') {
          j += 2;
          continue;
        }
        if (sql[j] === "'") {
          if (stringEscape === 'doubled' && sql[j + 1] === "'") {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    for (const [open, close] of identifierQuotes) {
      if (sql.startsWith(open, i)) {
        const end = sql.indexOf(close, i + open.length);
        const stop = end === -1 ? sql.length : end + close.length;
        out += sql.slice(i, stop);
        i = stop;
        continue outer;
      }
    }
    dialect.placeholderPattern.lastIndex = i;
    const m = dialect.placeholderPattern.exec(sql);
    if (m) {
      const index = m[1] === undefined ? positional++ : Number(m[1]) - 1;
      if (index < 0 || index >= params.length) throw new Error(`placeholder ${m[0]} has no parameter`);
      out += literalFor(dialect, params[index]!);
      i += m[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}
