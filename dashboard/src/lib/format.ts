/** Formatting of times, durations and counts, in the reader's locale. */

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: "numeric", month: "short", day: "numeric",
  hour: "2-digit", minute: "2-digit", second: "2-digit",
});
const dateOnly = new Intl.DateTimeFormat(undefined, {
  year: "numeric", month: "short", day: "numeric",
});
const timeOnly = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit", minute: "2-digit", second: "2-digit",
});
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit",
});
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const integer = new Intl.NumberFormat();

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return dateTime.format(new Date(iso));
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  return dateOnly.format(new Date(iso));
}

/** formatTimeShort shows the time alone for today, else the day and time. */
export function formatTimeShort(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return d.toDateString() === now.toDateString() ? timeOnly.format(d) : dayAndTime.format(d);
}

/** sentence capitalises the first letter, for messages made by machines. */
export function sentence(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60], ["minute", 60], ["hour", 24], ["day", 30], ["month", 12], ["year", Infinity],
];

/** formatRelative says "3 minutes ago" or "in 2 days" for an RFC 3339 time. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "—";

  let value = (Date.parse(iso) - now) / 1000;
  if (Math.abs(value) < 5) return "just now";

  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }

  return relative.format(Math.round(value), "year");
}

/** formatDuration renders milliseconds as "84 ms", "1.2 s" or "2 m 5 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 10 && !Number.isInteger(ms)) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} m ${s % 60} s`;
}

export function formatCount(n: number): string {
  return integer.format(n);
}

export function formatPercent(n: number): string {
  return `${n.toFixed(n === 100 || n === 0 ? 0 : 2)}%`;
}

/** plural picks "1 attempt" or "3 attempts". */
export function plural(n: number, one: string, many = one + "s"): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
