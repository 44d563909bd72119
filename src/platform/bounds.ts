/** Numbers from outside — settings, answers — held to a range, with a sentence when they are not. */

export interface NumberBounds {
  readonly min: number;
  readonly max: number;
  readonly fallback: number;
  readonly integer?: boolean;
}

/**
 * `value` when it is a finite number within the bounds; otherwise the fallback and a sentence for
 * the log saying what was wrong and what is used instead.
 */
export function boundedNumber(name: string, value: unknown, bounds: NumberBounds): { value: number; problem?: string } {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= bounds.min && value <= bounds.max && (!bounds.integer || Number.isInteger(value));
  if (ok) return { value };
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value === 'number' ? String(value) : String(JSON.stringify(value) ?? value).slice(0, 40);
  const range = `${bounds.integer ? 'a whole number' : 'a number'} from ${bounds.min} to ${bounds.max}`;
  return { value: bounds.fallback, problem: `The setting ${name} is ${shown}, but it must be ${range}; using ${bounds.fallback}.` };
}
