/**
 * Query results as CSV (RFC 4180): a header row of the column names, CRLF between records, a field quoted when it
 * holds a comma, a double quote, a CR or an LF, or starts or ends with a space, and double quotes inside a quoted
 * field doubled. Newlines inside values are kept as they are (inside the quotes).
 *
 * Cells are what the query API returns: null is an empty field, numbers and booleans their JSON text, objects and
 * arrays their JSON. Text cells come from logs, which attackers write: a text cell that a spreadsheet would read as
 * a formula (starting with =, +, -, @, a tab or a CR) is prefixed with a single quote, as OWASP's CSV-injection
 * guidance advises, so opening an export cannot run `=HYPERLINK(…)` planted in a user-agent string. Numbers are
 * never prefixed (a negative number stays a number).
 */

const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]|^ | $/;

export function csvField(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'string') text = formulaStart.test(value) ? `'${value}` : value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else text = JSON.stringify(value);
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole result: header row, then one record per row, each ended by CRLF. */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [columns.map((column) => csvField(column)).join(',')];
  for (const row of rows) lines.push(columns.map((_, index) => csvField(row[index])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
