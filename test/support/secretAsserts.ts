/**
 * Assertions on secrets (tokens, passwords) that never print them: a failing assertion shows a
 * short fingerprint instead, so test output carries no token even when a test fails.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

export function fingerprint(value: string | undefined): string {
  if (value === undefined) return 'undefined';
  if (value === '') return "''";
  return `secret#${createHash('sha256').update(value).digest('hex').slice(0, 8)} (${value.length} chars)`;
}

export function assertSameSecret(actual: string | undefined, expected: string | undefined, message = 'secrets differ'): void {
  assert.ok(actual === expected, `${message}: ${fingerprint(actual)} ≠ ${fingerprint(expected)}`);
}

export function assertDifferentSecret(actual: string | undefined, other: string | undefined, message = 'secrets are the same'): void {
  assert.ok(actual !== other, `${message}: both ${fingerprint(actual)}`);
}

export function assertAbsent(value: string | undefined, message = 'expected no secret'): void {
  assert.ok(value === undefined || value === '', `${message}, got ${fingerprint(value)}`);
}
