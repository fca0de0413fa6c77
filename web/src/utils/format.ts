// Showing times and values to a person.

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-03-01 14:05" in the browser's time zone from Unix seconds; '' for none. */
export function formatTime(unix: number | null | undefined): string {
  if (!unix) return '';
  const d = new Date(unix * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A JSON value as one readable line: lists joined with 、, objects as their JSON, none as —. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join('、') : '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
