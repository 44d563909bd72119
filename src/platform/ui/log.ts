import * as vscode from 'vscode';
import { describeError } from '../errors';
import { Redactor } from '../redact';

/**
 * The extension's LogOutputChannel ("Concur API Explorer" in the Output view). Every line passes
 * through the redactor, so a token or secret that slips into a message never reaches the log file.
 */
export class Log implements vscode.Disposable {
  readonly redactor: Redactor;
  private readonly channel: vscode.LogOutputChannel;

  constructor(name = 'Concur API Explorer', redactor = new Redactor()) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
    this.redactor = redactor;
  }

  trace(message: string): void {
    this.channel.trace(this.redactor.redact(message));
  }

  debug(message: string): void {
    this.channel.debug(this.redactor.redact(message));
  }

  info(message: string): void {
    this.channel.info(this.redactor.redact(message));
  }

  warn(message: string): void {
    this.channel.warn(this.redactor.redact(message));
  }

  /** An error with what it says; an unexpected one (a plain Error) with its stack, for the bug report. */
  error(message: string, error?: unknown): void {
    let detail = error === undefined ? '' : `: ${describeError(error)}`;
    if (error instanceof Error && error.constructor === Error && error.stack) detail += `\n${error.stack}`;
    else if (error instanceof TypeError || error instanceof RangeError) detail += `\n${error.stack ?? ''}`;
    this.channel.error(this.redactor.redact(message + detail));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
