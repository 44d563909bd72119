/**
 * Every notification and status-bar message the extension shows goes through here, and is redacted
 * on the way: server text, URLs and error messages reach people only without the secrets in them.
 */
import * as vscode from 'vscode';
import type { Redactor } from '../redact';

export class Messages {
  /** The last texts shown, as shown (redacted): what a test reads to check that no secret got out. */
  readonly recent: string[] = [];
  /** How many texts have been shown in all (`recent` keeps only the last 50). */
  shownCount = 0;

  constructor(readonly redactor: Redactor) {}

  private shown(text: string): string {
    // Notifications turn `[text](command:…)` into a link that runs a command: server text must not.
    const redacted = this.redact(text).replace(/\]\s*\(/g, '] (');
    this.shownCount++;
    this.recent.push(redacted);
    if (this.recent.length > 50) this.recent.shift();
    return redacted;
  }

  /** Redacts text for any other place it leaves the extension (tooltips, titles, history). */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  info<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showInformationMessage(this.shown(message), ...actions);
  }

  warn<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showWarningMessage(this.shown(message), ...actions);
  }

  error<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showErrorMessage(this.shown(message), ...actions);
  }

  /** A modal question; resolves with the action chosen, undefined for Cancel. */
  ask<T extends string>(message: string, detail: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showWarningMessage(this.shown(message), { modal: true, detail: this.shown(detail) }, ...actions);
  }

  status(message: string, ms: number): void {
    vscode.window.setStatusBarMessage(this.shown(message), ms);
  }
}
