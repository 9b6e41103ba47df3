/**
 * BigQuery's REST row format → our JSON values. The v2 API answers every row as `{f: [{v: …}, …]}` in schema
 * order, every scalar as a string (https://cloud.google.com/bigquery/docs/reference/rest/v2/tabledata/list,
 * "TableRow"; types in https://cloud.google.com/bigquery/docs/reference/rest/v2/tables#TableFieldSchema):
 * - INTEGER/INT64: decimal string → number when it is a safe integer, else the string (precision kept);
 * - FLOAT/FLOAT64: number; NaN and ±Infinity have no JSON number, so they stay strings ("NaN", "Infinity");
 * - NUMERIC/BIGNUMERIC: number when the number prints back to the same decimal, else the exact string;
 * - BOOLEAN/BOOL: "true"/"false" → boolean;
 * - TIMESTAMP: seconds since the epoch as a float string ("1.7005032E9", the default) or, when the request set
 *   `formatOptions.useInt64Timestamp`, microseconds as an integer string → ISO 8601 UTC, with microseconds when
 *   the value has them (BigQuery's TIMESTAMP precision);
 * - JSON: the JSON text, parsed; DATE, DATETIME, TIME, STRING, BYTES (base64), GEOGRAPHY (WKT) … : the string;
 * - mode REPEATED: `v` is `[{v: …}]` → array; RECORD/STRUCT: `v` is `{f: […]}` → object keyed by sub-field;
 * - `v: null` → null.
 * Pure: the schema decides the type, never the look of the value.
 */
export interface BigQueryField {
  readonly name: string;
  readonly type: string;
  readonly mode?: string | undefined;
  readonly fields?: readonly BigQueryField[] | undefined;
}

export type TimestampUnit = 'seconds' | 'micros';

export class RowShapeError extends Error {
  override readonly name = 'RowShapeError';
}

export function decodeRows(fields: readonly BigQueryField[], rows: readonly unknown[], unit: TimestampUnit): unknown[][] {
  return rows.map((row, i) => decodeRecordCells(fields, row, unit, `row ${i}`));
}

function decodeRecordCells(fields: readonly BigQueryField[], row: unknown, unit: TimestampUnit, where: string): unknown[] {
  const cells = isObject(row) ? row.f : undefined;
  if (!Array.isArray(cells) || cells.length !== fields.length) throw new RowShapeError(`${where} has ${Array.isArray(cells) ? cells.length : 'no'} cells for ${fields.length} fields`);
  return fields.map((field, j) => {
    const cell: unknown = cells[j];
    if (!isObject(cell) || !('v' in cell)) throw new RowShapeError(`${where}, field ${field.name}: a cell without "v"`);
    return decodeField(field, cell.v, unit, `${where}, field ${field.name}`);
  });
}

function decodeField(field: BigQueryField, v: unknown, unit: TimestampUnit, where: string): unknown {
  if (v === null || v === undefined) return field.mode === 'REPEATED' ? [] : null;
  if (field.mode === 'REPEATED') {
    if (!Array.isArray(v)) throw new RowShapeError(`${where}: a REPEATED value that is not an array`);
    return v.map((item, k) => {
      if (!isObject(item) || !('v' in item)) throw new RowShapeError(`${where}[${k}]: an element without "v"`);
      return decodeSingle(field, item.v, unit, `${where}[${k}]`);
    });
  }
  return decodeSingle(field, v, unit, where);
}

function decodeSingle(field: BigQueryField, v: unknown, unit: TimestampUnit, where: string): unknown {
  if (v === null || v === undefined) return null;
  const type = field.type.toUpperCase();
  if (type === 'RECORD' || type === 'STRUCT') {
    const sub = field.fields ?? [];
    const values = decodeRecordCells(sub, v, unit, where);
    return Object.fromEntries(sub.map((f, i) => [f.name, values[i]]));
  }
  if (typeof v !== 'string') throw new RowShapeError(`${where}: a ${type} value that is not a string`);
  switch (type) {
    case 'INTEGER':
    case 'INT64':
      return integerValue(v, where);
    case 'FLOAT':
    case 'FLOAT64': {
      const n = Number(v);
      return Number.isFinite(n) ? n : v;
    }
    case 'NUMERIC':
    case 'BIGNUMERIC': {
      const n = Number(v);
      return Number.isFinite(n) && sameDecimal(String(n), v) ? n : v;
    }
    case 'BOOLEAN':
    case 'BOOL':
      if (v === 'true') return true;
      if (v === 'false') return false;
      throw new RowShapeError(`${where}: "${v}" is not a BOOLEAN`);
    case 'TIMESTAMP':
      return timestampToIso(v, unit, where);
    case 'JSON':
      try {
        return JSON.parse(v) as unknown;
      } catch {
        throw new RowShapeError(`${where}: a JSON value that does not parse`);
      }
    default:
      return v;
  }
}

function integerValue(v: string, where: string): number | string {
  if (!/^-?\d+$/.test(v)) throw new RowShapeError(`${where}: "${v}" is not an INTEGER`);
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/** "12.50" and "12.5" are the same decimal; "0.1000000000000000055" printed back as "0.1" is not. */
function sameDecimal(printed: string, original: string): boolean {
  const canon = (s: string) => {
    const m = /^(-?)0*(\d*?)(?:\.(\d*?)0*)?$/.exec(s);
    if (!m) return s;
    const int = m[2] || '0';
    const frac = m[3] ?? '';
    const sign = m[1] && (int !== '0' || frac !== '') ? '-' : '';
    return `${sign}${int}${frac ? `.${frac}` : ''}`;
  };
  return !/e/i.test(printed) && canon(printed) === canon(original);
}

/**
 * Exact decimal arithmetic on the string (BigInt microseconds), so "1.7005032001234560E9" does not lose the
 * microseconds a double would round away; the float form is rounded half away from zero to the microsecond.
 */
export function timestampToIso(v: string, unit: TimestampUnit, where = 'TIMESTAMP'): string {
  let micros: bigint;
  if (unit === 'micros') {
    if (!/^-?\d+$/.test(v)) throw new RowShapeError(`${where}: "${v}" is not microseconds since the epoch`);
    micros = BigInt(v);
  } else {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(v.trim());
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new RowShapeError(`${where}: "${v}" is not seconds since the epoch`);
    const digits = `${m[2]}${m[3] ?? ''}`;
    // Position of the decimal point in `digits` once the value is scaled to microseconds (× 10^6).
    const point = (m[2] ?? '').length + Number(m[4] ?? '0') + 6;
    const whole = point <= 0 ? '0' : point >= digits.length ? digits + '0'.repeat(point - digits.length) : digits.slice(0, point);
    const next = point < 0 ? 0 : Number(digits[point] ?? '0');
    micros = BigInt(whole || '0') + (next >= 5 ? 1n : 0n);
    if (m[1] === '-') micros = -micros;
  }
  const ms = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n);
  const subMs = Number(micros - ms * 1000n);
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) throw new RowShapeError(`${where}: "${v}" is out of the TIMESTAMP range`);
  const iso = date.toISOString();
  return subMs === 0 ? iso : `${iso.slice(0, -1)}${String(subMs).padStart(3, '0')}Z`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
