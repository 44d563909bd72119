/**
 * Times and durations as a screen reader should read them: whole words in the display language
 * ("29 November 2026 at 10:42", "in 42 minutes", "120 milliseconds"), never "10:42:07" or "42 min".
 * Used for the tree views' accessibility labels; what the views show stays compact.
 */
import * as vscode from 'vscode';

let cachedLocale: string | undefined;

/** VS Code's display language when the runtime's Intl knows it, else English. */
function locale(): string {
  if (cachedLocale) return cachedLocale;
  const language = vscode.env.language || 'en';
  try {
    cachedLocale = Intl.DateTimeFormat.supportedLocalesOf([language]).length ? language : 'en';
  } catch {
    cachedLocale = 'en';
  }
  return cachedLocale;
}

/** "November 29, 2026 at 10:42 AM" (English), "29. November 2026 um 10:42" (German). */
export function spokenDateTime(epochMs: number): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'long', timeStyle: 'short' }).format(new Date(epochMs));
}

function unit(value: number, name: 'hour' | 'minute'): string {
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);
}

/** "in 42 minutes", "2 minutes ago", "in 2 hours and 5 minutes", "in 6 months", "now". */
export function spokenRelative(epochMs: number, now: number): string {
  const diff = epochMs - now;
  const sign = diff >= 0 ? 1 : -1;
  const s = Math.round(Math.abs(diff) / 1000);
  const format = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  if (s < 5) return format.format(0, 'second');
  if (s < 60) return format.format(sign * s, 'second');
  if (s < 3600) return format.format(sign * Math.round(s / 60), 'minute');
  if (s < 86_400) {
    let h = Math.floor(s / 3600);
    let m = Math.round((s % 3600) / 60);
    if (m === 60) {
      h += 1;
      m = 0;
    }
    if (m === 0) return format.format(sign * h, 'hour');
    return sign > 0 ? vscode.l10n.t('in {0} and {1}', unit(h, 'hour'), unit(m, 'minute')) : vscode.l10n.t('{0} and {1} ago', unit(h, 'hour'), unit(m, 'minute'));
  }
  if (s < 45 * 86_400) return format.format(sign * Math.round(s / 86_400), 'day');
  if (s < 365 * 86_400) return format.format(sign * Math.round(s / (30.44 * 86_400)), 'month');
  return format.format(sign * Math.round((s / (365.25 * 86_400)) * 10) / 10, 'year');
}

/** "120 milliseconds", "2.4 seconds". */
export function spokenDuration(ms: number): string {
  const rounded = Math.round(ms);
  if (rounded < 1000) return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'millisecond', unitDisplay: 'long' }).format(rounded);
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'second', unitDisplay: 'long', maximumFractionDigits: 1 }).format(rounded / 1000);
}
