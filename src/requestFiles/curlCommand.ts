/**
 * A `curl` command pasted into a request file, read as the request it sends (as REST Client reads
 * one): the method (`-X`, `-I`, `-G`, or POST when there is data), the URL, headers (`-H`, `-b`,
 * `-A`, `-e`), data (`-d`, `--data-raw`, `--data-binary`, `--data-urlencode`, `--json`, `@file`),
 * multipart forms (`-F name=value`, `-F name=@file;type=…`) and uploads (`-T file`). The command may
 * run over several lines with `\` continuations (or `^` as in Windows' cmd) and quotes that span lines.
 *
 * What curl would do that this extension does not is said in a diagnostic: credentials (`-u`) are not
 * sent (the session's token is), TLS checks stay on (`-k`), options that are not read are named.
 */
import { l10n } from '../platform/l10n';
import type { BodyLine, DiagnosticSeverity, ParseDiagnostic, RequestHeader, TextSpan } from './requestFile';

export interface CurlRequest {
  readonly method: string;
  readonly url: string;
  readonly urlSpan: TextSpan;
  readonly httpVersion?: string;
  readonly headers: readonly RequestHeader[];
  readonly body?: { readonly lines: readonly BodyLine[]; readonly firstLine: number; readonly lastLine: number; readonly verbatim?: boolean };
}

export interface CurlReading {
  /** The command's last line (its continuation lines included). */
  readonly lastLine: number;
  /** Undefined when the command cannot be read (a quote that never closes, no URL). */
  readonly request?: CurlRequest;
  readonly diagnostics: readonly ParseDiagnostic[];
}

/** The boundary of a form read from `-F` options (curl draws a random one; a fixed one keeps what is sent reproducible). */
export const CURL_FORM_BOUNDARY = '------------------------ConcurApiExplorerFormBoundary';

interface Word {
  readonly text: string;
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

type ValueOption = 'request' | 'header' | 'data' | 'data-raw' | 'data-binary' | 'data-urlencode' | 'json' | 'form' | 'form-string' | 'user' | 'cookie' | 'user-agent' | 'referer' | 'url' | 'upload-file' | 'range' | 'ignored' | 'unused';
type FlagOption = 'head' | 'get' | 'insecure' | 'http2' | 'ignored';

const SHORT_VALUES: Readonly<Record<string, ValueOption>> = {
  X: 'request', H: 'header', d: 'data', F: 'form', u: 'user', b: 'cookie', A: 'user-agent', e: 'referer', T: 'upload-file', r: 'range',
  o: 'ignored', w: 'ignored', m: 'ignored', D: 'ignored', c: 'unused', C: 'unused', E: 'unused', K: 'unused', P: 'unused', Q: 'unused', t: 'unused', U: 'unused', x: 'unused', y: 'ignored', Y: 'ignored', z: 'unused',
};
const SHORT_FLAGS: Readonly<Record<string, FlagOption>> = { I: 'head', G: 'get', k: 'insecure' };
// Flags that change only what curl prints or how it retries: nothing to say about them.
const QUIET_SHORT_FLAGS = new Set('0123456#aBfghijJlLMnNOpqRsSvVZ'.split(''));
const LONG_VALUES: Readonly<Record<string, ValueOption>> = {
  request: 'request', header: 'header', data: 'data', 'data-ascii': 'data', 'data-raw': 'data-raw', 'data-binary': 'data-binary', 'data-urlencode': 'data-urlencode', json: 'json',
  form: 'form', 'form-string': 'form-string', user: 'user', 'oauth2-bearer': 'user', cookie: 'cookie', 'user-agent': 'user-agent', referer: 'referer', url: 'url', 'upload-file': 'upload-file', range: 'range',
  output: 'ignored', 'write-out': 'ignored', 'max-time': 'ignored', 'connect-timeout': 'ignored', retry: 'ignored', 'retry-delay': 'ignored', 'retry-max-time': 'ignored', 'dump-header': 'ignored',
  'trace': 'ignored', 'trace-ascii': 'ignored', stderr: 'ignored', 'limit-rate': 'ignored', 'max-filesize': 'ignored', 'keepalive-time': 'ignored', 'expect100-timeout': 'ignored', 'max-redirs': 'ignored',
  proxy: 'unused', 'proxy-user': 'unused', 'cookie-jar': 'unused', config: 'unused', cert: 'unused', key: 'unused', cacert: 'unused', capath: 'unused', resolve: 'unused', 'connect-to': 'unused',
  interface: 'unused', 'dns-servers': 'unused', 'aws-sigv4': 'unused', variable: 'unused', 'continue-at': 'unused', 'time-cond': 'unused', 'unix-socket': 'unused',
};
const LONG_FLAGS: Readonly<Record<string, FlagOption>> = {
  head: 'head', get: 'get', insecure: 'insecure', http2: 'http2', 'http2-prior-knowledge': 'http2', http3: 'http2', 'http3-only': 'http2',
  silent: 'ignored', 'show-error': 'ignored', verbose: 'ignored', include: 'ignored', location: 'ignored', 'location-trusted': 'ignored', fail: 'ignored', 'fail-with-body': 'ignored',
  compressed: 'ignored', globoff: 'ignored', 'http1.0': 'ignored', 'http1.1': 'ignored', 'no-buffer': 'ignored', 'progress-bar': 'ignored', 'path-as-is': 'ignored', 'no-keepalive': 'ignored',
  'tcp-nodelay': 'ignored', raw: 'ignored', 'remote-name': 'ignored', 'remote-header-name': 'ignored', 'create-dirs': 'ignored', disable: 'ignored', ipv4: 'ignored', ipv6: 'ignored',
  'no-progress-meter': 'ignored', 'styled-output': 'ignored', 'no-styled-output': 'ignored', 'ssl-reqd': 'ignored', 'tlsv1.2': 'ignored', 'tlsv1.3': 'ignored', basic: 'ignored', digest: 'ignored',
  anyauth: 'ignored', ntlm: 'ignored', negotiate: 'ignored', 'no-sessionid': 'ignored', parallel: 'ignored',
};

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', tif: 'image/tiff', tiff: 'image/tiff', pdf: 'application/pdf',
  json: 'application/json', xml: 'application/xml', txt: 'text/plain', html: 'text/html', htm: 'text/html', svg: 'image/svg+xml', csv: 'text/csv',
};

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** Splits the command into words as a POSIX shell does ('…', "…", $'…', \ escapes, \ line continuations, # comments). */
function shellWords(lines: readonly string[], first: number, last: number): { words: Word[]; lastLine: number; unclosed?: TextSpan } {
  const words: Word[] = [];
  let text = '';
  let inWord = false;
  let quote: '' | "'" | '"' | "$'" = '';
  let wordLine = first;
  let wordStart = 0;
  let quoteSpan: TextSpan | undefined;
  const begin = (li: number, col: number): void => {
    if (!inWord) {
      inWord = true;
      wordLine = li;
      wordStart = col;
    }
  };
  const finish = (li: number, col: number): void => {
    if (!inWord) return;
    words.push({ text, line: wordLine, start: wordStart, end: li === wordLine ? col : lines[wordLine].length });
    text = '';
    inWord = false;
  };
  /** Appends `line` from `from` up to the next of `stops` (or its end) to the word; returns where it stopped. */
  const plain = (line: string, from: number, stops: string): number => {
    let to = from;
    while (to < line.length && !stops.includes(line[to])) to++;
    text += line.slice(from, to);
    return to;
  };
  for (let li = first; li <= last; li++) {
    const line = lines[li];
    let continued = false;
    let lastNonBlank = line.length - 1;
    while (lastNonBlank >= 0 && isBlank(line[lastNonBlank])) lastNonBlank--;
    for (let col = li === first ? line.search(/\S/) : 0; col < line.length; col++) {
      const ch = line[col];
      if (quote === "'") {
        // Up to the closing quote, in one piece.
        const close = line.indexOf("'", col);
        text += line.slice(col, close < 0 ? line.length : close);
        if (close < 0) col = line.length;
        else {
          col = close;
          quote = '';
        }
      } else if (quote === '"') {
        if (ch === '\\' && col + 1 < line.length && '"\\$`'.includes(line[col + 1])) text += line[++col];
        else if (ch === '\\' && col + 1 === line.length) continued = true;
        else if (ch === '"') quote = '';
        else col = plain(line, col, '"\\') - 1;
      } else if (quote === "$'") {
        if (ch === "'") quote = '';
        else if (ch === '\\' && col + 1 < line.length) {
          const next = line[++col];
          const hex = /^x([0-9A-Fa-f]{1,2})|^u([0-9A-Fa-f]{1,4})/.exec(line.slice(col, col + 5));
          if (hex) {
            text += String.fromCharCode(parseInt(hex[1] ?? hex[2], 16));
            col += hex[0].length - 1;
          } else text += ({ n: '\n', t: '\t', r: '\r', '0': '\0', e: '\x1b' } as Record<string, string>)[next] ?? next;
        } else col = plain(line, col, "'\\") - 1;
      } else if (isBlank(ch)) {
        finish(li, col);
      } else if ((ch === '\\' || ch === '^') && col === lastNonBlank) {
        // A continuation (`\` in POSIX shells, `^` in Windows' cmd), trailing blanks forgiven.
        continued = true;
        break;
      } else if (ch === '\\') {
        begin(li, col);
        text += line[++col] ?? '';
      } else if (ch === "'" || ch === '"') {
        begin(li, col);
        quote = ch;
        quoteSpan = { line: li, start: col, end: col + 1 };
      } else if (ch === '$' && line[col + 1] === "'") {
        begin(li, col);
        quote = "$'";
        quoteSpan = { line: li, start: col, end: col + 2 };
        col++;
      } else if (ch === '#' && !inWord) {
        break;
      } else {
        begin(li, col);
        // The rest of a plain run in one piece (a character at a time makes a string per character).
        text += ch;
        col = plain(line, col + 1, ' \t\\\'"$^') - 1;
      }
    }
    if (quote) {
      // A quoted value spans the line break (a JSON body written over several lines).
      if (quote !== '"' || !continued) text += '\n';
      if (li === last) return { words, lastLine: li, unclosed: quoteSpan };
      continue;
    }
    if (continued && li < last) continue;
    finish(li, line.length);
    return { words, lastLine: li };
  }
  finish(last, lines[last].length);
  return { words, lastLine: last };
}

/** Reads the curl command whose first line is `first` (the block ends at `last`). */
export function readCurlCommand(lines: readonly string[], first: number, last: number): CurlReading {
  const diagnostics: ParseDiagnostic[] = [];
  const report = (word: Word | TextSpan, message: string, severity: DiagnosticSeverity = 'warning'): void => {
    diagnostics.push({ span: { line: word.line, start: word.start, end: word.end }, message, severity });
  };
  const { words, lastLine, unclosed } = shellWords(lines, first, last);
  if (unclosed) {
    report(unclosed, l10n.t('This quote is not closed before the end of the request: close it, or end the command\'s lines with \\'), 'error');
    return { lastLine, diagnostics };
  }
  let method: string | undefined;
  let url: Word | undefined;
  let head = false;
  let get = false;
  let httpVersion: string | undefined;
  const headers: RequestHeader[] = [];
  const data: BodyLine[][] = [];
  const form: BodyLine[] = [];
  let upload: BodyLine | undefined;
  let json = false;

  const include = (path: string, line: number): BodyLine => ({ kind: 'file', path, expand: false, line });
  const header = (name: string, value: string, line: number): void => {
    headers.push({ name, value, line });
  };

  const take = (option: ValueOption, value: Word, named: Word): void => {
    const v = value.text;
    switch (option) {
      case 'request':
        method = v.toUpperCase();
        return;
      case 'header': {
        const colon = v.indexOf(':');
        if (v.startsWith('@')) report(named, l10n.t('Headers from a file (-H @file) are not read: write them as -H "Name: value"'));
        else if (colon > 0) header(v.slice(0, colon).trim(), v.slice(colon + 1).trim(), value.line);
        else if (!v.endsWith(';')) report(value, l10n.t('Expected a header as "Name: value"'));
        return;
      }
      case 'data':
      case 'data-binary':
      case 'json':
        // `@file` reads the file (curl's -d also drops its line breaks, which --data-binary keeps; both send it here as it is).
        data.push([v.startsWith('@') ? include(v.slice(1), value.line) : v]);
        if (option === 'json') json = true;
        return;
      case 'data-raw':
        data.push([v]);
        return;
      case 'data-urlencode': {
        // `content`, `=content`, `name=content`, `@file`, `name@file`: the content is percent-encoded, the name not.
        const eq = v.indexOf('=');
        const at = v.indexOf('@');
        if (at >= 0 && (eq < 0 || at < eq)) {
          data.push([...(at > 0 ? [`${v.slice(0, at)}=`] : []), include(v.slice(at + 1), value.line)]);
          report(value, l10n.t('The file is sent as it is, not percent-encoded as --data-urlencode would'), 'information');
        } else {
          data.push([eq > 0 ? `${v.slice(0, eq)}=${encodeURIComponent(v.slice(eq + 1))}` : encodeURIComponent(eq === 0 ? v.slice(1) : v)]);
        }
        return;
      }
      case 'form':
      case 'form-string':
        formPart(v, value, option === 'form-string');
        return;
      case 'user':
        report(named, l10n.t('The credentials in this command are not sent: the request goes with the signed-in Concur session\'s token.'), 'information');
        return;
      case 'cookie':
        if (v.includes('=')) header('Cookie', v, value.line);
        else report(value, l10n.t('Cookies from a file (-b file) are not read: write them as -b "name=value"'));
        return;
      case 'user-agent':
        header('User-Agent', v, value.line);
        return;
      case 'referer':
        header('Referer', v.replace(/;auto$/, ''), value.line);
        return;
      case 'url':
        url = value;
        return;
      case 'upload-file':
        upload = include(v, value.line);
        return;
      case 'range':
        header('Range', `bytes=${v}`, value.line);
        return;
      case 'unused':
        report(named, l10n.t('curl\'s {0} is not read here: the request is sent without it.', named.text));
        return;
      case 'ignored':
        return;
    }
  };

  const formPart = (v: string, value: Word, literal: boolean): void => {
    const eq = v.indexOf('=');
    if (eq <= 0) {
      report(value, l10n.t('Expected a form field as name=value, name=@file or name=<file'));
      return;
    }
    const name = v.slice(0, eq);
    const rest = v.slice(eq + 1);
    const disposition = `Content-Disposition: form-data; name="${name.replace(/"/g, '%22')}"`;
    form.push(`--${CURL_FORM_BOUNDARY}`);
    if (literal || (rest[0] !== '@' && rest[0] !== '<')) {
      form.push(disposition, '', rest);
      return;
    }
    // `@file;type=image/png;filename=x.png` (a file part) or `<file;type=…` (the file's content as the value).
    const [file, ...params] = rest.slice(1).split(';');
    const param = (key: string): string | undefined => params.find((p) => p.trim().startsWith(`${key}=`))?.trim().slice(key.length + 1).replace(/^"(.*)"$/, '$1');
    const type = param('type') ?? (rest[0] === '@' ? (MEDIA_TYPES[/\.([^./\\]+)$/.exec(file)?.[1].toLowerCase() ?? ''] ?? 'application/octet-stream') : undefined);
    const filename = rest[0] === '@' ? (param('filename') ?? file.split(/[\\/]/).pop() ?? file) : undefined;
    form.push(filename !== undefined ? `${disposition}; filename="${filename.replace(/"/g, '%22')}"` : disposition);
    if (type) form.push(`Content-Type: ${type}`);
    form.push('', include(file, value.line));
  };

  for (let w = 1; w < words.length; w++) {
    const word = words[w];
    const t = word.text;
    const value = (): Word | undefined => {
      const next = words[w + 1];
      if (!next) report(word, l10n.t('curl\'s {0} needs a value after it', t), 'error');
      else w++;
      return next;
    };
    if (t.startsWith('--') && t.length > 2) {
      const name = t.slice(2);
      const option = LONG_VALUES[name];
      const flag = LONG_FLAGS[name];
      if (option) {
        const v = value();
        if (v) take(option, v, word);
      } else if (flag) {
        flagged(flag, word);
      } else {
        report(word, l10n.t('curl\'s {0} is not read here: the request is sent without it.', t));
      }
      continue;
    }
    if (t.startsWith('-') && t.length > 1) {
      // Short options: `-sSL`, `-XPOST`, `-H value`.
      for (let c = 1; c < t.length; c++) {
        const letter = t[c];
        const option = SHORT_VALUES[letter];
        if (option) {
          const glued = t.slice(c + 1);
          const v = glued ? { ...word, text: glued } : value();
          if (v) take(option, v, { ...word, text: `-${letter}` });
          break;
        }
        const flag = SHORT_FLAGS[letter];
        if (flag) flagged(flag, word);
        else if (!QUIET_SHORT_FLAGS.has(letter)) report(word, l10n.t('curl\'s {0} is not read here: the request is sent without it.', `-${letter}`));
      }
      continue;
    }
    if (!url) url = word;
    else report(word, l10n.t('Only one URL is read from a curl command: this one is not sent.'));
  }

  function flagged(flag: FlagOption, word: Word): void {
    if (flag === 'head') head = true;
    else if (flag === 'get') get = true;
    else if (flag === 'insecure') report(word, l10n.t('TLS certificates are always checked here: -k is ignored.'), 'information');
    else if (flag === 'http2') {
      httpVersion = 'HTTP/2';
      report(word, l10n.t('{0} is read and kept in the file, but this extension sends HTTP/1.1.', 'HTTP/2'), 'information');
    }
  }

  if (!url) {
    report({ line: first, start: lines[first].search(/\S/), end: lines[first].trimEnd().length }, l10n.t('Expected a URL in the curl command'), 'error');
    return { lastLine, diagnostics };
  }
  let target = url.text;
  // curl reads a URL without a scheme as http://.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(target) && !target.startsWith('/') && !target.startsWith('{{')) target = `http://${target}`;
  const has = (name: string): boolean => headers.some((h) => h.name.toLowerCase() === name);
  let body: CurlRequest['body'];
  const bodyLines = { firstLine: first, lastLine };
  if (form.length) {
    form.push(`--${CURL_FORM_BOUNDARY}--`);
    // A Content-Type given without a boundary (as Concur's own examples write it) gets the form's.
    const given = headers.findIndex((h) => h.name.toLowerCase() === 'content-type');
    const type = `multipart/form-data; boundary=${CURL_FORM_BOUNDARY}`;
    if (given < 0) header('Content-Type', type, first);
    else if (!/boundary=/i.test(headers[given].value)) headers[given] = { ...headers[given], value: type };
    body = { lines: form, ...bodyLines };
  } else if (data.length && get) {
    const query = data.flat();
    if (query.some((piece) => typeof piece !== 'string')) report(url, l10n.t('With -G the data goes into the URL, where a file cannot: the file is left out.'));
    target += (target.includes('?') ? '&' : '?') + query.filter((piece): piece is string => typeof piece === 'string').join('&');
  } else if (data.length) {
    const pieces: BodyLine[] = [];
    data.forEach((piece, i) => pieces.push(...(i ? ['&'] : []), ...piece));
    body = { lines: pieces, verbatim: true, ...bodyLines };
    if (json) {
      if (!has('content-type')) header('Content-Type', 'application/json', first);
      if (!has('accept')) header('Accept', 'application/json', first);
    } else if (!has('content-type')) header('Content-Type', 'application/x-www-form-urlencoded', first);
  } else if (upload) {
    body = { lines: [upload], verbatim: true, ...bodyLines };
  }
  const request: { -readonly [K in keyof CurlRequest]: CurlRequest[K] } = {
    method: method ?? (head ? 'HEAD' : get ? 'GET' : form.length || data.length ? 'POST' : upload ? 'PUT' : 'GET'),
    url: target,
    urlSpan: { line: url.line, start: url.start, end: url.end },
    headers,
  };
  if (httpVersion) request.httpVersion = httpVersion;
  if (body) request.body = body;
  return { lastLine, request, diagnostics };
}
