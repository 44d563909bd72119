/**
 * A minimal event emitter with VS Code's Event shape, so that modules without a `vscode` import can
 * expose events that VS Code glue subscribes to directly.
 */
export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // One listener's failure must not keep the others from hearing the event.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
