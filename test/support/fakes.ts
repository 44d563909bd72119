/** In-memory stand-ins for VS Code's SecretStorage and globalState, and a clock tests move by hand. */
import type { Clock } from '../../src/platform/clock';
import { Emitter, type Disposable } from '../../src/platform/events';
import type { KeyValueStore, Logger, SecretStore } from '../../src/sessions/types';
import type { SessionToken, TokenSource } from '../../src/calls/apiClient';

/** A token source that always hands out the same token, refreshed or not (a token minted by the local Concur server). */
export function fixedTokens(token: SessionToken): TokenSource {
  return { get: async () => token, refresh: async () => token };
}

/** Several MemorySecrets may share one backing map, like VS Code windows share SecretStorage. */
export class MemorySecrets implements SecretStore {
  private static readonly channels = new WeakMap<Map<string, string>, Emitter<{ key: string }>>();
  readonly writes: { key: string; value: string | undefined }[] = [];
  /** Delay before a write lands, to observe ordering. */
  writeDelayMs = 0;
  /**
   * Runs at every storage operation of this window, before it touches the data and after: a test
   * lands another window's work there, at every point where this window could be interrupted.
   */
  interleave?: (op: 'get' | 'store' | 'delete', key: string, phase: 'before' | 'after') => Promise<void>;

  constructor(readonly data: Map<string, string> = new Map()) {
    if (!MemorySecrets.channels.has(data)) MemorySecrets.channels.set(data, new Emitter());
  }

  private get channel(): Emitter<{ key: string }> {
    return MemorySecrets.channels.get(this.data) as Emitter<{ key: string }>;
  }

  readonly onDidChange = (listener: (e: { key: string }) => unknown): Disposable => this.channel.event((e) => void listener(e));

  async get(key: string): Promise<string | undefined> {
    await this.interleave?.('get', key, 'before');
    const value = this.data.get(key);
    await this.interleave?.('get', key, 'after');
    return value;
  }

  async store(key: string, value: string): Promise<void> {
    await this.interleave?.('store', key, 'before');
    if (this.writeDelayMs) await new Promise((r) => setTimeout(r, this.writeDelayMs));
    this.data.set(key, value);
    this.writes.push({ key, value });
    this.channel.fire({ key });
    await this.interleave?.('store', key, 'after');
  }

  async delete(key: string): Promise<void> {
    await this.interleave?.('delete', key, 'before');
    this.data.delete(key);
    this.writes.push({ key, value: undefined });
    this.channel.fire({ key });
    await this.interleave?.('delete', key, 'after');
  }
}

export class MemoryState implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, value);
  }
}

export class FakeClock implements Clock {
  private timers: { due: number; callback: () => void; id: number }[] = [];
  private nextId = 1;

  constructor(public time = Date.UTC(2026, 10, 27, 9, 0, 0)) {}

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): Disposable {
    const id = this.nextId++;
    this.timers.push({ due: this.time + Math.max(0, ms), callback, id });
    return { dispose: () => (this.timers = this.timers.filter((t) => t.id !== id)) };
  }

  pending(): number[] {
    return this.timers.map((t) => t.due - this.time).sort((a, b) => a - b);
  }

  /** Moves time forward, firing due timers in order and letting the work they start settle. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.due <= target).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = Math.max(this.time, next.due);
      next.callback();
      await settle();
    }
    this.time = target;
    await settle();
  }
}

/** Lets pending promise callbacks and I/O callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

export async function until(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export class MemoryLog implements Logger {
  readonly lines: string[] = [];
  constructor(private readonly redact: (text: string) => string = (t) => t) {}
  debug(message: string): void {
    this.lines.push(`debug ${this.redact(message)}`);
  }
  info(message: string): void {
    this.lines.push(`info ${this.redact(message)}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${this.redact(message)}`);
  }
  error(message: string, error?: unknown): void {
    this.lines.push(`error ${this.redact(message + (error ? `: ${error instanceof Error ? error.message : String(error)}` : ''))}`);
  }
}
