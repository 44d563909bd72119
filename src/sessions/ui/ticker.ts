/**
 * The extension's one clock for things on screen: it ticks on the whole seconds of the active
 * session's countdown while a session is active, and does not exist at all otherwise.
 */
import * as vscode from 'vscode';
import { msUntilNextTick } from '../../auth/claims';

export class Ticker implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<number>();
  /** Fires with the current time on each tick. */
  readonly onDidTick = this.emitter.event;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Epoch ms of the expiry the ticks align to, or undefined when nothing needs ticking. */
    private readonly target: () => number | undefined,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts or stops the clock to match whether anything needs it; call when sessions change. */
  update(): void {
    const target = this.target();
    if (target === undefined) {
      this.stop();
    } else if (!this.timer) {
      this.schedule(target);
    }
  }

  private schedule(target: number): void {
    const delay = msUntilNextTick(target - Date.now());
    // A few ms late rather than early, so that the countdown text has changed when the tick lands.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emitter.fire(Date.now());
      const next = this.target();
      if (next !== undefined) this.schedule(next);
    }, delay + 5);
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stop();
    this.emitter.dispose();
  }
}
