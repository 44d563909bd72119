/**
 * Where a definition's operations live on Concur's hosts: the prefix a document gives its paths
 * (a Swagger 2.0 `basePath`, or the path of an OpenAPI 3 document's first server URL — never its
 * host), put in front of each path once, as Concur's published files need it:
 *
 * - Some files repeat the prefix in their paths (Spend Documents v4: `basePath`
 *   `/spend-documents/v4/receipts`, paths `/spend-documents/v4/receipts/{receiptId}/…`; Expense
 *   Report v4: server path `/expensereports/v4`, paths `/expensereports/v4/users/…`), or repeat its
 *   version (Request v4: `basePath` `/travelrequest/v4`, some paths `/v4/requests/…`). The prefix
 *   is then not added again, or the repeated segments are written once.
 * - Files published on SAP's API hub (sandbox.api.sap.com) carry `/concur/api`, which is `/api` on
 *   Concur's own hosts (Image v1: `POST /api/image/v1.0/receipt` in Concur's reference).
 * - A file whose own data is wrong gets an override (`basePath`), which replaces the document's.
 *
 * Knows nothing of VS Code.
 */
import { isObject, type JsonObject } from './pointer';

/** A path segment that names an API version (`v4`, `v4.1`, `v3.0`). */
const VERSION_SEGMENT = /^v\d+(\.\d+)*$/i;

/** `/a/b` from any spelling: one leading slash, no trailing one, '' for none. */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/\/+$/, '');
  if (!trimmed) return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * The prefix the document itself gives: Swagger's `basePath`, else the path of the first server URL
 * (its `{variables}` filled with their defaults). A document labelled Swagger 2.0 but written with
 * OpenAPI 3's `servers` is read by what it contains.
 */
export function documentPrefix(doc: JsonObject): string {
  if (typeof doc.basePath === 'string' && doc.basePath.trim()) return normalisePrefix(doc.basePath);
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first = servers.find(isObject);
  if (!first || typeof first.url !== 'string') return '';
  const variables = isObject(first.variables) ? first.variables : {};
  // `{name}` written in the URL, filled with the variable's default; unknown ones stay (and are only in the host, usually).
  const url = first.url.slice(0, 2000).replace(/\{([^{}]{1,100})\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
  });
  let path: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    // The host part may still hold `{region}`: take the path after the authority without parsing it as a URL.
    const afterScheme = url.slice(url.indexOf('//') + 2);
    const slash = afterScheme.indexOf('/');
    path = slash < 0 ? '' : afterScheme.slice(slash);
  } else if (url.startsWith('//')) {
    const slash = url.indexOf('/', 2);
    path = slash < 0 ? '' : url.slice(slash);
  } else {
    path = url;
  }
  path = path.split(/[?#]/)[0] ?? '';
  try {
    path = decodeURI(path);
  } catch {
    // as written
  }
  return normalisePrefix(path);
}

const segments = (path: string): string[] => path.split('/').filter(Boolean);

/** The prefix in front of a path, once (see the module comment), then SAP's `/concur/api` as `/api`. */
export function joinPrefix(prefix: string, path: string): string {
  const base = normalisePrefix(prefix);
  const rooted = path.startsWith('/') ? path : `/${path}`;
  return hubToConcur(joinOnce(base, rooted));
}

function joinOnce(base: string, path: string): string {
  if (!base) return path;
  if (path === base || path.startsWith(`${base}/`)) return path;
  const p = segments(base);
  const q = segments(path);
  // The longest run of the prefix's last segments that the path starts with, when it names a version.
  for (let k = Math.min(p.length, q.length); k >= 1; k--) {
    let same = true;
    for (let i = 0; i < k && same; i++) same = p[p.length - k + i].toLowerCase() === q[i].toLowerCase();
    if (!same) continue;
    if (!p.slice(p.length - k).some((s) => VERSION_SEGMENT.test(s))) break;
    const trailing = path.endsWith('/') && q.length > 0 ? '/' : '';
    return `/${[...p.slice(0, p.length - k), ...q].join('/')}${trailing}`;
  }
  return base + (path === '/' ? '' : path);
}

/** `/concur/api/…` (SAP's API hub) is `/api/…` on Concur's hosts. */
function hubToConcur(path: string): string {
  return /^\/concur\/api(\/|$)/i.test(path) ? path.slice('/concur'.length) : path;
}

/**
 * A path template that carries a query string (`/purchaserequests/{id}?mode=COMPACT`): the path,
 * and each query parameter with its value, to be offered as a query parameter with that default.
 */
export function splitTemplateQuery(template: string): { path: string; query: { name: string; value: string }[] } {
  const at = template.indexOf('?');
  if (at < 0) return { path: template, query: [] };
  const query: { name: string; value: string }[] = [];
  for (const part of template.slice(at + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const decode = (text: string): string => {
      try {
        return decodeURIComponent(text.replace(/\+/g, ' '));
      } catch {
        return text;
      }
    };
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    if (name) query.push({ name, value: eq < 0 ? '' : decode(part.slice(eq + 1)) });
  }
  return { path: template.slice(0, at), query };
}
