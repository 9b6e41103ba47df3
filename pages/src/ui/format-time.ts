/**
 * Timestamp display. The API's times are UTC ISO-8601; the UI shows them in UTC too, so what you read
 * matches what `POST /api/sql` returns and what other analysts see.
 */

export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((now - then) / 1000);
  const suffix = seconds >= 0 ? 'ago' : 'from now';
  const magnitude = Math.abs(seconds);
  if (magnitude < 45) return seconds >= 0 ? 'just now' : 'in a few seconds';
  const units: [number, string][] = [
    [60, 'min'],
    [3600, 'h'],
    [86400, 'd'],
  ];
  let value = magnitude / 60;
  let unit = 'min';
  for (const [size, name] of units) {
    if (magnitude >= size) {
      value = magnitude / size;
      unit = name;
    }
  }
  return `${Math.round(value)} ${unit} ${suffix}`;
}
