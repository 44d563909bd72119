/**
 * A multi-step quick input: a step counter in the title, a Back button that returns to the
 * previous step with its value kept, `ignoreFocusOut` so that a click elsewhere (to copy a client
 * id, say) does not throw the answers away.
 */
import * as vscode from 'vscode';

export class InputFlowAction {
  static readonly back = new InputFlowAction();
  static readonly cancel = new InputFlowAction();
}

export type InputStep = (input: MultiStepInput) => Promise<InputStep | void>;

export interface QuickPickParameters<T extends vscode.QuickPickItem> {
  readonly title: string;
  readonly step: number;
  /**
   * The number of steps; a function of the highlighted item where the item decides what follows
   * (a custom base URL is one more step), so that the count is the real one for the path in sight.
   */
  readonly totalSteps: number | ((active: T | undefined) => number);
  readonly items: readonly T[];
  readonly activeItem?: T;
  readonly placeholder: string;
}

export interface InputBoxParameters {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly value: string;
  readonly prompt: string;
  readonly placeholder?: string;
  readonly password?: boolean;
  /**
   * Returns an error message, or undefined when the value is acceptable; or an Info message, which
   * tells (where a request will go, say) without blocking. Runs as the user types, and with
   * `accepting` on Enter: a box may hint while it is still empty, and refuse the empty value only
   * when the user accepts it.
   */
  readonly validate: (value: string, accepting: boolean) => string | vscode.InputBoxValidationMessage | undefined;
}

export class MultiStepInput {
  private current?: vscode.QuickInput;
  private readonly steps: InputStep[] = [];

  /** Runs steps from `start` until a step returns nothing: true when finished, false when the user pressed Escape. */
  static async run(start: InputStep): Promise<boolean> {
    try {
      await new MultiStepInput().stepThrough(start);
      return true;
    } catch (error) {
      if (error === InputFlowAction.cancel) return false;
      throw error;
    }
  }

  private async stepThrough(start: InputStep): Promise<void> {
    let step: InputStep | void = start;
    while (step) {
      this.steps.push(step);
      if (this.current) {
        this.current.enabled = false;
        this.current.busy = true;
      }
      try {
        step = await step(this);
      } catch (error) {
        if (error === InputFlowAction.back) {
          this.steps.pop();
          step = this.steps.pop();
        } else {
          this.current?.dispose();
          throw error;
        }
      }
    }
    this.current?.dispose();
  }

  async showQuickPick<T extends vscode.QuickPickItem>(p: QuickPickParameters<T>): Promise<T> {
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<T>((resolve, reject) => {
        const pick = vscode.window.createQuickPick<T>();
        pick.title = p.title;
        pick.step = p.step;
        const total = p.totalSteps;
        const count = (active: T | undefined): number => (typeof total === 'number' ? total : total(active));
        pick.totalSteps = count(p.activeItem ?? p.items.find((item) => item.kind !== vscode.QuickPickItemKind.Separator));
        pick.placeholder = p.placeholder;
        pick.items = p.items;
        pick.ignoreFocusOut = true;
        pick.matchOnDescription = true;
        pick.matchOnDetail = true;
        if (p.activeItem) pick.activeItems = [p.activeItem];
        pick.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
        disposables.push(
          pick.onDidTriggerButton((button) => {
            if (button === vscode.QuickInputButtons.Back) reject(InputFlowAction.back);
          }),
          pick.onDidAccept(() => {
            const [selected] = pick.selectedItems;
            if (selected) resolve(selected);
          }),
          pick.onDidHide(() => reject(InputFlowAction.cancel)),
        );
        if (typeof total !== 'number') disposables.push(pick.onDidChangeActive(([active]) => (pick.totalSteps = count(active))));
        this.replace(pick);
      });
    } finally {
      disposables.forEach((d) => d.dispose());
    }
  }

  async showInputBox(p: InputBoxParameters): Promise<string> {
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<string>((resolve, reject) => {
        const box = vscode.window.createInputBox();
        box.title = p.title;
        box.step = p.step;
        box.totalSteps = p.totalSteps;
        box.value = p.value;
        box.prompt = p.prompt;
        box.placeholder = p.placeholder;
        box.password = p.password ?? false;
        box.ignoreFocusOut = true;
        box.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
        const check = (value: string, accepting = false): string | vscode.InputBoxValidationMessage | undefined => p.validate(value, accepting);
        const blocks = (message: string | vscode.InputBoxValidationMessage | undefined): boolean =>
          message !== undefined && (typeof message === 'string' || message.severity === vscode.InputBoxValidationSeverity.Error);
        if (p.value) box.validationMessage = check(p.value);
        disposables.push(
          box.onDidTriggerButton((button) => {
            if (button === vscode.QuickInputButtons.Back) reject(InputFlowAction.back);
          }),
          box.onDidChangeValue((value) => {
            box.validationMessage = check(value);
          }),
          box.onDidAccept(() => {
            const message = check(box.value, true);
            box.validationMessage = message;
            if (!blocks(message)) resolve(box.value);
          }),
          box.onDidHide(() => reject(InputFlowAction.cancel)),
        );
        this.replace(box);
      });
    } finally {
      disposables.forEach((d) => d.dispose());
    }
  }

  private replace(input: vscode.QuickInput): void {
    const previous = this.current;
    this.current = input;
    input.show();
    // Disposing after showing the next one keeps the widget from flickering closed between steps.
    previous?.dispose();
  }
}
