/**
 * Every notification and status-bar message the extension shows goes through here, and is redacted
 * on the way: server text, URLs and error messages reach people only without the secrets in them.
 */
import * as vscode from 'vscode';
import type { Redactor } from '../concur/redact';

export class Messages {
  constructor(readonly redactor: Redactor) {}

  /** Redacts text for any other place it leaves the extension (tooltips, titles, history). */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  info<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showInformationMessage(this.redact(message), ...actions);
  }

  warn<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showWarningMessage(this.redact(message), ...actions);
  }

  error<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showErrorMessage(this.redact(message), ...actions);
  }

  /** A modal question; resolves with the action chosen, undefined for Cancel. */
  ask<T extends string>(message: string, detail: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showWarningMessage(this.redact(message), { modal: true, detail: this.redact(detail) }, ...actions);
  }

  status(message: string, ms: number): void {
    vscode.window.setStatusBarMessage(this.redact(message), ms);
  }
}
