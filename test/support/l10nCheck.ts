/**
 * The extension's localization checker.
 *
 *   node out/test/support/l10nCheck.js check    (npm run l10n:check, and part of `npm test`)
 *   node out/test/support/l10nCheck.js export   (npm run l10n:export)
 *
 * Messages shown to people are written in English in the sources, as `vscode.l10n.t('…', args)` in
 * files that import `vscode` and as `l10n.t('…', args)` (src/platform/l10n.ts) in the others. `export`
 * collects them from every `src/**\/*.ts` into `media/l10n/bundle.l10n.json`, the English bundle that
 * `package.json`'s `"l10n"` points to, in the shape `@vscode/l10n-dev export` writes: each message is
 * its own key and value, keys sorted. Each language has its translation next to it
 * (`bundle.l10n.de.json`), and the manifest's own texts are `%key%` references resolved from
 * `package.nls.json` and its translations (`package.nls.de.json`).
 *
 * `check` prints one `file:line: problem` line per problem and exits with 1 when there is any:
 * a message that is not a string literal (VS Code looks a message up by its exact English text, so a
 * message built at run time is never translated); `t` taken from `l10n` without being called there
 * (`const { t } = vscode.l10n`, `vscode.l10n['t']`, `l10n.t.bind(…)`) or `l10n` bound to another name
 * (`import { l10n as L }`), which hide the messages from extraction; a `{0}` without its argument;
 * a message missing from the English bundle, or a key
 * the sources no longer use; a translation that lacks or adds a key, has an empty value, or does not
 * keep the English placeholders (`{0}`, `{name}`), codicons (`$(sync)`) and markdown link targets
 * (`(command:concur.signIn)`); a `%key%` the manifest uses that `package.nls.json` lacks, or the other
 * way round; and a user-facing manifest text (a command title, a setting description…) written as a
 * literal instead of a `%key%`.
 *
 * The functions are exported so that test/unit/l10n.test.ts can run each rule on small fixtures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import * as ts from 'typescript';
import { repoRoot } from '../host/paths';

/** Languages the extension must ship: each needs `package.nls.<lang>.json` and `media/l10n/bundle.l10n.<lang>.json`. */
export const REQUIRED_LANGUAGES: readonly string[] = ['de'];

/** Where the English bundle and its translations live (package.json's `"l10n"`). */
export const BUNDLE_DIR = 'media/l10n';
export const BUNDLE_FILE = `${BUNDLE_DIR}/bundle.l10n.json`;

export interface Problem {
  /** The file, relative to the repository root (or as the fixture named it). */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}

/** One `l10n.t('…')` call with a literal message. */
export interface Message {
  readonly message: string;
  readonly file: string;
  readonly line: number;
}

export interface Extraction {
  readonly messages: Message[];
  readonly problems: Problem[];
}

/** A JSON file's name (for problems) and text. */
export interface JsonFile {
  readonly file: string;
  readonly text: string;
}

const quote = (text: string, max = 80): string => JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);

// ── Sources ────────────────────────────────────────────────────────────────────────────────────────

/** The expression inside parentheses and `!`. */
function unwrap(expression: ts.Expression): ts.Expression {
  let e = expression;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

/** `l10n`, `vscode.l10n`, `(x.l10n)!`: an expression whose last name is `l10n`. */
function endsInL10n(expression: ts.Expression): boolean {
  const e = unwrap(expression);
  if (ts.isIdentifier(e)) return e.text === 'l10n';
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'l10n';
  return false;
}

/**
 * The file that implements `l10n.t` (src/platform/l10n.ts) forwards messages to `vscode.l10n.t` by
 * reference; it is the one place allowed to use `t` without calling it.
 */
const L10N_IMPLEMENTATION = 'src/platform/l10n.ts';

/** Modules whose `l10n` export is the one `l10n.t` calls go through: `vscode` and src/platform/l10n.ts. */
const isL10nModule = (specifier: string): boolean => specifier === 'vscode' || /(^|\/)l10n$/.test(specifier);

const DIRECTLY = 'use l10n.t(...) directly so the message can be extracted';

/** The name a destructured property is read from (`t` in `{ t }` and `{ t: tr }`); undefined when computed. */
function propertyNameOf(element: ts.BindingElement): string | undefined {
  const name = element.propertyName ?? element.name;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/** The numeric placeholders (`{0}`, `{1}`) of a message, as numbers. */
function positionalPlaceholders(message: string): Set<number> {
  return new Set([...message.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1])));
}

/** Every `vscode.l10n.t(…)` / `l10n.t(…)` call in a TypeScript source, and what is wrong with the ones that are not checkable. */
export function extractMessages(file: string, text: string): Extraction {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const messages: Message[] = [];
  const problems: Problem[] = [];
  const lineOf = (node: ts.Node): number => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const problem = (node: ts.Node, message: string): void => {
    problems.push({ file, line: lineOf(node), message });
  };

  // Names `l10n` is bound to under another name (`import { l10n as L }`, `const { l10n: L } = vscode`,
  // `const L = vscode.l10n`): each is a problem, and `L.t('…')` is still read as a call so its message
  // is checked too.
  const aliases = new Set<string>();
  const strict = file !== L10N_IMPLEMENTATION;
  /** `vscode.l10n`, `l10n`, or one of its aliases. */
  const isL10n = (expression: ts.Expression): boolean => {
    const e = unwrap(expression);
    return endsInL10n(e) || (ts.isIdentifier(e) && aliases.has(e.text));
  };
  const isL10nCall = (node: ts.Node): node is ts.CallExpression => {
    if (!ts.isCallExpression(node)) return false;
    const callee = node.expression;
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 't' && isL10n(callee.expression);
  };

  const collectAliases = (node: ts.Node): void => {
    if (ts.isImportSpecifier(node) && (node.propertyName ?? node.name).text === 'l10n' && node.name.text !== 'l10n') {
      const declaration = node.parent.parent.parent;
      if (ts.isStringLiteral(declaration.moduleSpecifier) && isL10nModule(declaration.moduleSpecifier.text)) aliases.add(node.name.text);
    } else if (ts.isBindingElement(node) && ts.isIdentifier(node.name) && node.name.text !== 'l10n' && propertyNameOf(node) === 'l10n') {
      aliases.add(node.name.text);
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text !== 'l10n' && node.initializer && endsInL10n(node.initializer)) {
      aliases.add(node.name.text);
    }
    ts.forEachChild(node, collectAliases);
  };

  /** An object pattern that destructures `l10n` itself: `const { t } = vscode.l10n`, `const { l10n: { t } } = vscode`. */
  const destructuresL10n = (pattern: ts.ObjectBindingPattern): boolean => {
    const parent = pattern.parent;
    if (ts.isVariableDeclaration(parent) || ts.isParameter(parent)) return !!parent.initializer && isL10n(parent.initializer);
    if (ts.isBindingElement(parent)) return propertyNameOf(parent) === 'l10n';
    return false;
  };

  /** The ways `t` is taken from `l10n` without being called there, and `l10n` bound to another name. */
  const checkAlias = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === 't' && isL10n(node.expression)) {
      const called = ts.isCallExpression(node.parent) && node.parent.expression === node;
      if (!called) problem(node, `${quote(node.getText(source), 40)} takes l10n.t without calling it: ${DIRECTLY}`);
    } else if (ts.isElementAccessExpression(node) && isL10n(node.expression)) {
      const key = node.argumentExpression;
      const literal = ts.isStringLiteral(key) || ts.isNoSubstitutionTemplateLiteral(key) || ts.isNumericLiteral(key);
      if (!literal || key.text === 't') problem(node, `${quote(node.getText(source), 40)} reads l10n.t by index: ${DIRECTLY}`);
    } else if (ts.isObjectBindingPattern(node) && destructuresL10n(node)) {
      for (const element of node.elements) {
        const name = propertyNameOf(element);
        if (element.dotDotDotToken || name === undefined || name === 't') problem(element, `${quote(element.getText(source), 40)} destructures t from l10n: ${DIRECTLY}`);
      }
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isObjectLiteralExpression(unwrap(node.left)) && isL10n(node.right)) {
      for (const property of (unwrap(node.left) as ts.ObjectLiteralExpression).properties) {
        const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
        if (ts.isSpreadAssignment(property) || name === undefined || name === 't') problem(property, `${quote(property.getText(source), 40)} destructures t from l10n: ${DIRECTLY}`);
      }
    } else if (ts.isImportSpecifier(node) && aliases.has(node.name.text) && (node.propertyName ?? node.name).text === 'l10n') {
      problem(node, `l10n imported as ${node.name.text}: import { l10n } and ${DIRECTLY}`);
    } else if (ts.isBindingElement(node) && ts.isIdentifier(node.name) && aliases.has(node.name.text) && propertyNameOf(node) === 'l10n') {
      problem(node, `l10n destructured as ${node.name.text}: ${DIRECTLY}`);
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && aliases.has(node.name.text) && node.initializer && endsInL10n(node.initializer)) {
      problem(node, `l10n stored as ${node.name.text}: ${DIRECTLY}`);
    }
  };

  const visit = (node: ts.Node): void => {
    if (strict) checkAlias(node);
    if (isL10nCall(node)) {
      const [first, ...args] = node.arguments;
      if (!first) {
        problem(node, 'l10n.t() without a message');
      } else if (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) {
        messages.push({ message: first.text, file, line: lineOf(first) });
        checkArguments(first, first.text, args);
      } else if (ts.isTemplateExpression(first)) {
        problem(first, `l10n.t() with a template that has \${} substitutions (${quote(first.getText(source), 60)}): write {0}, {1}… in a plain string and pass the values as arguments`);
      } else if (ts.isObjectLiteralExpression(first)) {
        problem(first, 'l10n.t({ message, … }): pass the message as a string literal, l10n.t(\'…\', args)');
      } else {
        problem(first, `l10n.t() whose message is not a string literal (${quote(first.getText(source), 60)}): a message built at run time is never translated`);
      }
    }
    ts.forEachChild(node, visit);
  };

  /**
   * `{n}` must have an argument and each argument its `{n}`, unless the arguments are spread or named
   * (`{ name }`). A call without arguments is no exception (a forgotten argument would show `{0}`):
   * a template that is filled in later passes its placeholders as the arguments,
   * `l10n.t('Cut at {0} MB', '{0}')`, and gets the translation with `{0}` in place.
   */
  const checkArguments = (at: ts.Node, message: string, args: readonly ts.Expression[]): void => {
    if (args.some((a) => ts.isSpreadElement(a))) return;
    if (args.length === 1 && ts.isObjectLiteralExpression(args[0])) return;
    const used = positionalPlaceholders(message);
    for (const index of [...used].sort((a, b) => a - b)) {
      if (index >= args.length) problem(at, `${quote(message)} uses {${index}} but l10n.t() has ${args.length} argument(s) after the message`);
    }
    args.forEach((arg, index) => {
      if (!used.has(index)) problem(arg, `${quote(message)} has no {${index}} for argument ${index + 1} (${quote(arg.getText(source), 40)})`);
    });
  };

  collectAliases(source);
  visit(source);
  return { messages, problems };
}

/** Every `.ts` file under a folder (not `.d.ts`), sorted, as paths relative to `root` with `/`. */
export function sourceFiles(root: string, folder = 'src'): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(child);
    }
  };
  walk(folder);
  return found.sort();
}

/** The English bundle for these messages: `{ "message": "message" }`, keys sorted, 2-space JSON and a newline. */
export function bundleText(messages: readonly Message[]): string {
  const bundle: Record<string, string> = {};
  for (const message of [...new Set(messages.map((m) => m.message))].sort()) bundle[message] = message;
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

// ── JSON files ─────────────────────────────────────────────────────────────────────────────────────

interface Entry {
  readonly value: unknown;
  readonly line: number;
  /** The value's node (for the manifest). */
  readonly node: JsonNode;
}

interface ParsedJson {
  readonly root?: JsonNode;
  /** The root object's properties, in order. */
  readonly entries: Map<string, Entry>;
  readonly problems: Problem[];
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** A JSON object file's top-level properties with their lines; parse errors and repeated keys are problems. */
function parseJsonObject({ file, text }: JsonFile): ParsedJson {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const problems: Problem[] = errors.map((e) => ({ file, line: lineAt(text, e.offset), message: `not valid JSON (${printParseErrorCode(e.error)})` }));
  const entries = new Map<string, Entry>();
  if (!root || root.type !== 'object') {
    if (!problems.length) problems.push({ file, line: 1, message: 'must hold a JSON object' });
    return { root, entries, problems };
  }
  for (const property of root.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    const line = lineAt(text, keyNode.offset);
    if (entries.has(key)) problems.push({ file, line, message: `${quote(key)} appears twice` });
    entries.set(key, { value: jsonValue(valueNode), line, node: valueNode });
  }
  return { root, entries, problems };
}

function jsonValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries((node.children ?? []).map((p) => [String(p.children?.[0]?.value), p.children?.[1] ? jsonValue(p.children[1]) : undefined]));
    case 'array':
      return (node.children ?? []).map(jsonValue);
    default:
      return node.value;
  }
}

/** A translatable value: a string, or `{ "message": "…", "comment": … }` (allowed in package.nls files). */
function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') return (value as { message: string }).message;
  return undefined;
}

/**
 * What a translation must keep exactly: `{0}` / `{name}` placeholders, `$(codicon)` references and
 * markdown link targets (`](command:concur.signIn)`, `](https://…)`), sorted.
 */
export function protectedTokens(text: string): string[] {
  const tokens = [
    ...[...text.matchAll(/\{[A-Za-z0-9_]+\}/g)].map((m) => m[0]),
    ...[...text.matchAll(/\$\([A-Za-z0-9~-]+\)/g)].map((m) => m[0]),
    ...[...text.matchAll(/\]\(([^)\s]+)/g)].map((m) => `](${m[1]})`),
  ];
  return tokens.sort();
}

/** A translation (`bundle.l10n.de.json`, `package.nls.de.json`) against its English file: same keys, non-empty values, same tokens. */
export function checkTranslation(english: JsonFile, translation: JsonFile): Problem[] {
  const source = parseJsonObject(english);
  const target = parseJsonObject(translation);
  const problems = [...target.problems];
  const file = translation.file;
  for (const key of source.entries.keys()) {
    if (!target.entries.has(key)) problems.push({ file, line: 1, message: `lacks ${quote(key)} (from ${english.file})` });
  }
  for (const [key, { value, line }] of target.entries) {
    const englishEntry = source.entries.get(key);
    if (!englishEntry) {
      problems.push({ file, line, message: `${quote(key)} is not in ${english.file}` });
      continue;
    }
    const text = messageOf(value);
    if (text === undefined) {
      problems.push({ file, line, message: `${quote(key)} must be a string` });
      continue;
    }
    if (!text.trim()) {
      problems.push({ file, line, message: `${quote(key)} has an empty translation` });
      continue;
    }
    const expected = protectedTokens(messageOf(englishEntry.value) ?? '');
    const found = protectedTokens(text);
    if (expected.join('\u0000') !== found.join('\u0000')) {
      problems.push({ file, line, message: `${quote(key)} must keep the placeholders, codicons and link targets of the English (${expected.join(' ') || 'none'}), has ${found.join(' ') || 'none'}` });
    }
  }
  return problems;
}

/** The English bundle against the messages of the sources: every message in it, no other key, each value its key. */
export function checkSourceBundle(messages: readonly Message[], bundle: JsonFile): Problem[] {
  const parsed = parseJsonObject(bundle);
  const problems = [...parsed.problems];
  const regenerate = '(npm run l10n:export)';
  const seen = new Set<string>();
  for (const m of messages) {
    if (seen.has(m.message)) continue;
    seen.add(m.message);
    if (!parsed.entries.has(m.message)) problems.push({ file: m.file, line: m.line, message: `${quote(m.message)} is not in ${bundle.file} ${regenerate}` });
  }
  for (const [key, { value, line }] of parsed.entries) {
    if (!seen.has(key)) problems.push({ file: bundle.file, line, message: `${quote(key)} is no longer used in the sources ${regenerate}` });
    else if (value !== key) problems.push({ file: bundle.file, line, message: `the value of ${quote(key)} must be the message itself ${regenerate}` });
  }
  return problems;
}

// ── The manifest ───────────────────────────────────────────────────────────────────────────────────

export type JsonPath = readonly (string | number)[];

/** A user-facing text of package.json, and the package.nls.json key it is given. */
export interface ManifestField {
  readonly path: JsonPath;
  readonly value: unknown;
  readonly key: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** `concur.signIn` → `signIn`: the keys do not repeat the extension's prefix. */
const short = (id: unknown, fallback: string | number): string => (typeof id === 'string' && id ? id.replace(/^concur\./, '') : String(fallback));

const SETTING_TEXTS = ['title', 'description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage', 'errorMessage'] as const;
const SETTING_LISTS = ['enumDescriptions', 'markdownEnumDescriptions', 'enumItemLabels'] as const;

/** A setting's texts, and those of its `items` and nested `properties`. */
function settingFields(schema: unknown, at: JsonPath, key: string, out: ManifestField[]): void {
  if (!isRecord(schema)) return;
  for (const field of SETTING_TEXTS) {
    if (field in schema) out.push({ path: [...at, field], value: schema[field], key: `${key}.${field}` });
  }
  const enumValues = arrayOf(schema.enum);
  for (const list of SETTING_LISTS) {
    arrayOf(schema[list]).forEach((value, i) => {
      const name = enumValues[i] === undefined ? i : String(enumValues[i]);
      out.push({ path: [...at, list, i], value, key: `${key}.${list}.${name}` });
    });
  }
  if (isRecord(schema.properties)) {
    for (const [name, child] of Object.entries(schema.properties)) settingFields(child, [...at, 'properties', name], `${key}.${name}`, out);
  }
  if (isRecord(schema.items)) settingFields(schema.items, [...at, 'items'], `${key}.items`, out);
}

/**
 * Every user-facing text of a manifest, with the systematic key it is given: the extension's
 * `displayName` and `description`; command titles and categories; view containers, views and their
 * welcome content; settings; walkthroughs and their steps; submenus; language model tools; icons,
 * colors and authentication providers.
 */
export function manifestFields(manifest: unknown): ManifestField[] {
  const out: ManifestField[] = [];
  if (!isRecord(manifest)) return out;
  const add = (path: JsonPath, owner: Record<string, unknown>, field: string, key: string): void => {
    if (field in owner) out.push({ path: [...path, field], value: owner[field], key });
  };
  add([], manifest, 'displayName', 'extension.displayName');
  add([], manifest, 'description', 'extension.description');
  const c = manifest.contributes;
  if (!isRecord(c)) return out;
  const C = ['contributes'];

  arrayOf(c.commands).forEach((command, i) => {
    if (!isRecord(command)) return;
    const id = short(command.command, i);
    add([...C, 'commands', i], command, 'title', `command.${id}.title`);
    add([...C, 'commands', i], command, 'shortTitle', `command.${id}.shortTitle`);
    add([...C, 'commands', i], command, 'category', command.category === 'Concur' || command.category === '%concur.category%' ? 'concur.category' : `command.${id}.category`);
  });

  if (isRecord(c.viewsContainers)) {
    for (const [location, containers] of Object.entries(c.viewsContainers)) {
      arrayOf(containers).forEach((container, i) => {
        if (isRecord(container)) add([...C, 'viewsContainers', location, i], container, 'title', `viewsContainer.${short(container.id, i)}.title`);
      });
    }
  }
  if (isRecord(c.views)) {
    for (const [container, views] of Object.entries(c.views)) {
      arrayOf(views).forEach((view, i) => {
        if (!isRecord(view)) return;
        const id = short(view.id, i);
        add([...C, 'views', container, i], view, 'name', `view.${id}.name`);
        add([...C, 'views', container, i], view, 'contextualTitle', `view.${id}.contextualTitle`);
      });
    }
  }
  const welcomes = arrayOf(c.viewsWelcome);
  welcomes.forEach((welcome, i) => {
    if (!isRecord(welcome)) return;
    const id = short(welcome.view, i);
    const shared = welcomes.filter((w) => isRecord(w) && w.view === welcome.view).length > 1;
    add([...C, 'viewsWelcome', i], welcome, 'contents', shared ? `viewsWelcome.${id}.${i}.contents` : `viewsWelcome.${id}.contents`);
  });

  const configurations = Array.isArray(c.configuration) ? c.configuration : [c.configuration];
  configurations.forEach((configuration, n) => {
    if (!isRecord(configuration)) return;
    const at = Array.isArray(c.configuration) ? [...C, 'configuration', n] : [...C, 'configuration'];
    add(at, configuration, 'title', Array.isArray(c.configuration) ? `config.${n}.title` : 'config.title');
    if (isRecord(configuration.properties)) {
      for (const [name, schema] of Object.entries(configuration.properties)) settingFields(schema, [...at, 'properties', name], `config.${short(name, name)}`, out);
    }
  });

  arrayOf(c.walkthroughs).forEach((walkthrough, i) => {
    if (!isRecord(walkthrough)) return;
    const id = `walkthrough.${short(walkthrough.id, i)}`;
    const at = [...C, 'walkthroughs', i];
    add(at, walkthrough, 'title', `${id}.title`);
    add(at, walkthrough, 'description', `${id}.description`);
    arrayOf(walkthrough.steps).forEach((step, j) => {
      if (!isRecord(step)) return;
      const stepId = `${id}.step.${short(step.id, j)}`;
      add([...at, 'steps', j], step, 'title', `${stepId}.title`);
      add([...at, 'steps', j], step, 'description', `${stepId}.description`);
      if (isRecord(step.media)) add([...at, 'steps', j, 'media'], step.media, 'altText', `${stepId}.altText`);
    });
  });

  arrayOf(c.submenus).forEach((submenu, i) => {
    if (isRecord(submenu)) add([...C, 'submenus', i], submenu, 'label', `submenu.${short(submenu.id, i)}.label`);
  });

  arrayOf(c.languageModelTools).forEach((tool, i) => {
    if (!isRecord(tool)) return;
    const id = `languageModelTools.${short(tool.name, i)}`;
    for (const field of ['displayName', 'userDescription', 'modelDescription']) add([...C, 'languageModelTools', i], tool, field, `${id}.${field}`);
  });

  if (isRecord(c.icons)) {
    for (const [id, icon] of Object.entries(c.icons)) if (isRecord(icon)) add([...C, 'icons', id], icon, 'description', `icon.${short(id, id)}.description`);
  }
  arrayOf(c.colors).forEach((color, i) => {
    if (isRecord(color)) add([...C, 'colors', i], color, 'description', `color.${short(color.id, i)}.description`);
  });
  arrayOf(c.authentication).forEach((provider, i) => {
    if (isRecord(provider)) add([...C, 'authentication', i], provider, 'label', `authentication.${short(provider.id, i)}.label`);
  });
  return out;
}

const NLS_REFERENCE = /^%([^%\s]+)%$/;

/** The node at a path of a parsed JSON tree. */
function nodeAt(root: JsonNode | undefined, at: JsonPath): JsonNode | undefined {
  let node = root;
  for (const segment of at) {
    if (!node) return undefined;
    if (node.type === 'object' && typeof segment === 'string') {
      node = node.children?.find((p) => p.children?.[0]?.value === segment)?.children?.[1];
    } else if (node.type === 'array' && typeof segment === 'number') {
      node = node.children?.[segment];
    } else {
      return undefined;
    }
  }
  return node;
}

function pathText(at: JsonPath): string {
  return at.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${s}`)).join('');
}

/**
 * package.json against package.nls.json and its translations: every `%key%` defined and every key
 * used, every user-facing text a `%key%`, and each translation complete and keeping the English tokens.
 */
export function checkManifest(manifest: JsonFile, nls: JsonFile, translations: readonly JsonFile[] = []): Problem[] {
  const errors: ParseError[] = [];
  const root = parseTree(manifest.text, errors, { disallowComments: true });
  const problems: Problem[] = errors.map((e) => ({ file: manifest.file, line: lineAt(manifest.text, e.offset), message: `not valid JSON (${printParseErrorCode(e.error)})` }));
  if (!root) return problems;
  const english = parseJsonObject(nls);
  problems.push(...english.problems);

  const referenced = new Set<string>();
  const walk = (node: JsonNode): void => {
    if (node.type === 'property') {
      // The key is no text; only the value may be a reference.
      if (node.children?.[1]) walk(node.children[1]);
      return;
    }
    if (node.type === 'string') {
      const match = NLS_REFERENCE.exec(String(node.value));
      if (match) {
        referenced.add(match[1]);
        if (!english.entries.has(match[1])) problems.push({ file: manifest.file, line: lineAt(manifest.text, node.offset), message: `${node.value} is not in ${nls.file}` });
      }
    }
    for (const child of node.children ?? []) walk(child);
  };
  walk(root);

  for (const [key, { value, line }] of english.entries) {
    if (!referenced.has(key)) problems.push({ file: nls.file, line, message: `${quote(key)} is not used in ${manifest.file}` });
    const text = messageOf(value);
    if (text === undefined || !text.trim()) problems.push({ file: nls.file, line, message: `${quote(key)} must be a non-empty string` });
  }

  for (const field of manifestFields(jsonValue(root))) {
    if (typeof field.value === 'string' && NLS_REFERENCE.test(field.value)) continue;
    const node = nodeAt(root, field.path);
    const line = node ? lineAt(manifest.text, node.offset) : 1;
    problems.push({ file: manifest.file, line, message: `${pathText(field.path)} is the literal ${quote(String(field.value), 60)}: make it "%${field.key}%" with the English text in ${nls.file}` });
  }

  for (const translation of translations) problems.push(...checkTranslation(nls, translation));
  return problems;
}

// ── The repository ─────────────────────────────────────────────────────────────────────────────────

function readJsonFile(root: string, file: string): JsonFile | undefined {
  const full = path.join(root, file);
  return fs.existsSync(full) ? { file, text: fs.readFileSync(full, 'utf8') } : undefined;
}

/** `prefix.<lang>.json` files in a folder, by language. */
function translationsIn(root: string, folder: string, prefix: string): Map<string, string> {
  const found = new Map<string, string>();
  const dir = path.join(root, folder);
  if (!fs.existsSync(dir)) return found;
  for (const name of fs.readdirSync(dir).sort()) {
    const match = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.([A-Za-z-]+)\\.json$`).exec(name);
    if (match) found.set(match[1], folder === '.' ? name : `${folder}/${name}`);
  }
  return found;
}

/** Every message of the repository's sources, and the calls whose message is not a literal. */
export function extractRepository(root: string = repoRoot): Extraction & { files: number } {
  const messages: Message[] = [];
  const problems: Problem[] = [];
  const files = sourceFiles(root);
  for (const file of files) {
    const result = extractMessages(file, fs.readFileSync(path.join(root, file), 'utf8'));
    messages.push(...result.messages);
    problems.push(...result.problems);
  }
  return { messages, problems, files: files.length };
}

export interface RepositoryCheck {
  readonly problems: Problem[];
  readonly summary: string;
}

/** All the rules on the repository: sources, English bundle, translations, manifest. */
export function checkRepository(root: string = repoRoot, requiredLanguages: readonly string[] = REQUIRED_LANGUAGES): RepositoryCheck {
  const { messages, problems, files } = extractRepository(root);

  const bundle = readJsonFile(root, BUNDLE_FILE);
  if (bundle) problems.push(...checkSourceBundle(messages, bundle));
  else problems.push({ file: BUNDLE_FILE, line: 1, message: 'missing (npm run l10n:export writes it)' });

  const manifest = readJsonFile(root, 'package.json');
  const nls = readJsonFile(root, 'package.nls.json');
  if (!manifest) throw new Error(`no package.json in ${root}`);
  const bundleTranslations = translationsIn(root, BUNDLE_DIR, 'bundle.l10n');
  const nlsTranslations = translationsIn(root, '.', 'package.nls');

  try {
    const l10n = (JSON.parse(manifest.text) as { l10n?: unknown }).l10n;
    if (typeof l10n !== 'string' || path.posix.normalize(l10n).replace(/\/$/, '') !== BUNDLE_DIR) {
      problems.push({ file: 'package.json', line: 1, message: `needs "l10n": "./${BUNDLE_DIR}" so VS Code finds the bundles` });
    }
  } catch {
    // checkManifest reports the parse error.
  }
  if (nls) {
    const translations = [...nlsTranslations.values()].map((file) => readJsonFile(root, file)).filter((f): f is JsonFile => !!f);
    problems.push(...checkManifest(manifest, nls, translations));
  } else {
    problems.push({ file: 'package.nls.json', line: 1, message: 'missing: the English texts of package.json' });
  }
  if (bundle) {
    for (const file of bundleTranslations.values()) {
      const translation = readJsonFile(root, file);
      if (translation) problems.push(...checkTranslation(bundle, translation));
    }
  }

  const languages = [...new Set([...requiredLanguages, ...bundleTranslations.keys(), ...nlsTranslations.keys()])].sort();
  for (const language of languages) {
    if (!bundleTranslations.has(language)) problems.push({ file: `${BUNDLE_DIR}/bundle.l10n.${language}.json`, line: 1, message: `missing: the ${language} translation of ${BUNDLE_FILE}` });
    if (!nlsTranslations.has(language)) problems.push({ file: `package.nls.${language}.json`, line: 1, message: `missing: the ${language} translation of package.nls.json` });
  }

  const unique = new Set(messages.map((m) => m.message)).size;
  const manifestTexts = nls ? parseJsonObject(nls).entries.size : 0;
  return { problems, summary: `${unique} messages in ${files} source files, ${manifestTexts} manifest texts, languages: ${languages.join(', ') || 'none'}` };
}

/** Writes the English bundle; returns what changed. */
export function exportRepository(root: string = repoRoot): { problems: Problem[]; added: string[]; removed: string[]; total: number } {
  const { messages, problems } = extractRepository(root);
  const file = path.join(root, BUNDLE_FILE);
  let before: string[] = [];
  try {
    before = Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as object);
  } catch {
    before = [];
  }
  const text = bundleText(messages);
  const after = Object.keys(JSON.parse(text) as object);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const had = new Set(before);
  const has = new Set(after);
  return { problems, added: after.filter((k) => !had.has(k)), removed: before.filter((k) => !has.has(k)), total: after.length };
}

function main(argv: readonly string[]): number {
  const command = argv[0];
  if (command === 'check') {
    const { problems, summary } = checkRepository();
    for (const problem of problems) console.error(formatProblem(problem));
    if (problems.length) {
      console.error(`l10n check: ${problems.length} problem(s); ${summary}`);
      return 1;
    }
    console.log(`l10n check: OK, ${summary}`);
    return 0;
  }
  if (command === 'export') {
    const { problems, added, removed, total } = exportRepository();
    for (const message of added) console.log(`+ ${quote(message)}`);
    for (const message of removed) console.log(`- ${quote(message)}`);
    console.log(`l10n export: ${BUNDLE_FILE} has ${total} messages (${added.length} added, ${removed.length} removed)`);
    for (const problem of problems) console.error(formatProblem(problem));
    if (problems.length) {
      console.error(`l10n export: ${problems.length} problem(s) in l10n.t() calls (a message that is not a literal is not in the bundle)`);
      return 1;
    }
    return 0;
  }
  console.error('usage: node out/test/support/l10nCheck.js check|export');
  return 2;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
