import type { Disposable } from './events';

/** Time as the session layer sees it; tests substitute a fake one. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): Disposable;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    // setTimeout cannot wait longer than 2^31-1 ms; a longer wait is re-armed when it fires.
    const MAX = 2 ** 31 - 1;
    const due = Date.now() + ms;
    let handle: NodeJS.Timeout;
    const arm = (): void => {
      const left = due - Date.now();
      handle = setTimeout(left > MAX ? arm : callback, Math.max(0, Math.min(left, MAX)));
    };
    arm();
    return { dispose: () => clearTimeout(handle) };
  },
};

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
