/**
 * What screen readers say for the expiry countdown in the status bar. The visible text changes every
 * second; this sentence changes at most once a minute ("expires in 42 minutes"), so that a screen
 * reader has no reason to announce every tick. Knows nothing of VS Code (unit-tested in plain Node).
 */
import { l10n } from '../platform/l10n';

/**
 * The spoken sentence for the time left on the access token. Whole minutes are rounded down, so the
 * sentence never promises more time than there is; under a minute it says so, and at zero "expired".
 */
export function expiryAnnouncement(msLeft: number): string {
  if (Number.isNaN(msLeft) || msLeft <= 0) return l10n.t('Concur access token expired');
  if (msLeft < 60_000) return l10n.t('Concur access token expires in less than a minute');
  // Stored expiries are held to a year; this keeps the sentence sane whatever it is handed.
  const totalMinutes = Math.floor(Math.min(msLeft, 366 * 86_400_000) / 60_000);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours === 0) return minutes === 1 ? l10n.t('Concur access token expires in 1 minute') : l10n.t('Concur access token expires in {0} minutes', minutes);
  if (minutes === 0) return hours === 1 ? l10n.t('Concur access token expires in 1 hour') : l10n.t('Concur access token expires in {0} hours', hours);
  if (hours === 1) return minutes === 1 ? l10n.t('Concur access token expires in 1 hour and 1 minute') : l10n.t('Concur access token expires in 1 hour and {0} minutes', minutes);
  return minutes === 1 ? l10n.t('Concur access token expires in {0} hours and 1 minute', hours) : l10n.t('Concur access token expires in {0} hours and {1} minutes', hours, minutes);
}
