import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extension, packageJson, wasActiveBeforeTests } from '../helpers';

describe('Extension', () => {
  it('is not activated until a Concur view or command is used', () => {
    assert.equal(wasActiveBeforeTests(), false);
    assert.ok(!(packageJson().activationEvents ?? []).includes('*'), 'activationEvents must not contain "*"');
  });

  it('activates when a Concur command runs', async () => {
    await vscode.commands.executeCommand('concur.showLog');
    assert.equal(extension().isActive, true);
  });

  it('registers every contributed command, and contributes every command it registers', async () => {
    const contributed = packageJson().contributes.commands.map((c) => c.command).sort();
    // VS Code adds its own commands for each view ("concur.sessions.focus" …); those are not ours.
    const viewIds = Object.values(packageJson().contributes.views).flat().map((v) => `${v.id}.`);
    const registered = (await vscode.commands.getCommands(true))
      .filter((id) => id.startsWith('concur.') && !viewIds.some((prefix) => id.startsWith(prefix)))
      .sort();
    assert.deepEqual(registered, contributed);
  });

  it('gives every command the Concur category and a title', () => {
    for (const command of packageJson().contributes.commands) {
      assert.equal(command.category, 'Concur', `${command.command} has category ${String(command.category)}`);
      assert.match(command.title, /^[A-Z]/, `${command.command} needs a title`);
    }
  });

  it('contributes the Concur view container with views that each show welcome content', () => {
    const { viewsContainers, views, viewsWelcome } = packageJson().contributes;
    const container = viewsContainers.activitybar.find((c) => c.id === 'concur');
    assert.ok(container, 'no "concur" activity bar container');
    assert.equal(container.title, 'Concur');
    assert.ok(fs.existsSync(path.join(extension().extensionPath, container.icon)), `missing icon ${container.icon}`);
    const concurViews = views.concur ?? [];
    assert.ok(concurViews.length > 0, 'the container has no views');
    for (const view of concurViews) {
      assert.ok(viewsWelcome.some((w) => w.view === view.id && w.contents.trim().length > 0), `${view.id} has no welcome content`);
    }
  });

  it('opens the Concur views from the workbench', async () => {
    // VS Code registers a focus command for each contributed view; it fails for views that do not exist.
    for (const view of packageJson().contributes.views.concur) {
      await vscode.commands.executeCommand(`${view.id}.focus`);
    }
    await vscode.commands.executeCommand('workbench.view.extension.concur');
  });

  it('does not load the HTTP client, the API definition parser or the local Concur server at activation, nor when the catalog is shown without definitions', () => {
    const loaded = Object.keys(require.cache).filter((file) => file.startsWith(path.join(extension().extensionPath, 'dist')));
    assert.ok(loaded.some((file) => file.endsWith(`${path.sep}extension.js`)), `the bundle is not in require.cache: ${loaded.join(', ')}`);
    assert.deepEqual(loaded.filter((file) => ['undici.js', 'openapi.js', 'localConcur.js'].some((lazy) => file.endsWith(`${path.sep}${lazy}`))), []);
  });

  it('contributes the "Get Started with the Concur API" walkthrough, each step completing on a real command or context', async () => {
    const { walkthroughs, commands } = packageJson().contributes;
    const walkthrough = walkthroughs?.find((w) => w.id === 'concur.gettingStarted');
    assert.ok(walkthrough, 'no walkthrough');
    assert.equal(walkthrough.title, 'Get Started with the Concur API');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['concur.clientCredentials', 'concur.signIn', 'concur.claims', 'concur.profile', 'concur.expiry', 'concur.chat']);
    const contributed = new Set(commands.map((c) => c.command));
    for (const step of walkthrough.steps) {
      assert.ok(step.media.markdown && fs.existsSync(path.join(extension().extensionPath, step.media.markdown)), `${step.id}: missing ${step.media.markdown}`);
      for (const link of step.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(contributed.has(link[1]), `${step.id} links to ${link[1]}`);
      for (const event of step.completionEvents ?? []) {
        const [kind, target] = event.split(':');
        if (kind === 'onCommand') assert.ok(contributed.has(target), `${step.id} completes on ${target}, which is not contributed`);
        else assert.ok(['onStepSelected', 'onContext'].includes(kind), `${step.id}: unexpected event ${event}`);
      }
    }
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extension().id}#concur.gettingStarted`, false);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
