/**
 * A UTC timestamp cell, with the full ISO value and relative age in its tooltip. `stacked` puts the time
 * under the date for narrow columns; `dateOnly` is for coarse values such as token creation.
 */
import { formatRelative, formatUtc } from './format-time';

export function Timestamp({ iso, stacked = false, dateOnly = false }: { iso: string | null | undefined; stacked?: boolean; dateOnly?: boolean }) {
  if (!iso) return <span className="dim">—</span>;
  const formatted = formatUtc(iso);
  const [date, time] = formatted.split(' ');
  const title = `${iso} (${formatRelative(iso)})`;
  if (dateOnly || (stacked && time !== undefined)) {
    return (
      <time className={stacked && !dateOnly ? 'timestamp timestamp-stacked' : 'timestamp'} dateTime={iso} title={title}>
        <span>{date}</span>
        {!dateOnly && <span className="timestamp-time">{time}</span>}
      </time>
    );
  }
  return (
    <time className="timestamp" dateTime={iso} title={title}>
      {formatted}
    </time>
  );
}
