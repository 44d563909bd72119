/**
 * Times for `{{$datetime}}`, `{{$localDatetime}}` and `{{$timestamp}}` with a format or an offset,
 * computed as REST Client computes them: with Day.js (and its UTC plugin). Reached only through the
 * lazily loaded bundle (dist/openapi.js), on first use. Knows nothing of VS Code.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

/** `-1 d`: an amount of y, Q, M, w, d, h, m, s or ms. */
export interface Offset {
  readonly amount: number;
  readonly unit: string;
}

function shifted(now: Date, offset: Offset | undefined, local: boolean): dayjs.Dayjs {
  const date = local ? dayjs(now) : dayjs.utc(now);
  if (!offset) return date;
  // A quarter is three months (Day.js without its quarter plugin would add milliseconds).
  if (offset.unit === 'Q') return date.add(offset.amount * 3, 'M');
  return date.add(offset.amount, offset.unit as dayjs.ManipulateType);
}

/** The time moved by the offset (in UTC: months and years by the calendar, days kept in the month), in milliseconds. */
export function shiftedTime(now: Date, offset: Offset): number {
  return shifted(now, offset, false).valueOf();
}

/** iso8601, rfc1123 or a Day.js pattern, in UTC or the local time zone, moved by an optional offset. */
export function formatTime(now: Date, format: 'iso8601' | 'rfc1123' | { readonly pattern: string }, local: boolean, offset: Offset | undefined): string {
  const date = shifted(now, offset, local);
  if (format === 'iso8601') return local ? date.format() : date.toISOString();
  // REST Client writes the local RFC 1123 time with its offset (+0100), the UTC one as Date does ("GMT").
  if (format === 'rfc1123') return local ? date.locale('en').format('ddd, DD MMM YYYY HH:mm:ss ZZ') : date.toDate().toUTCString();
  return date.format(format.pattern);
}
