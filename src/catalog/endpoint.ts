/**
 * The catalog's model: an endpoint Concur offers (method, path template, scopes, token types, paging
 * style, parameters, body, answers, status), typed; and an API definition's entries. Shared by the
 * built-in catalog, the definitions reader and everything that sends.
 */

export type PagingStyle = 'none' | 'scim' | 'cursor' | 'v3' | 'listv4';
export type TokenType = 'user' | 'company' | 'app';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The methods that change data: asked about before they are sent. */
export function changesData(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/**
 * A JSON Schema (draft-07 or 2020-12 subset, as Swagger and OpenAPI documents write them). Internal
 * `$ref`s point into the same object: a definition's operation schemas carry the document's
 * `definitions`/`components` beside them, so each schema stands alone.
 */
export type JsonSchema = { readonly [key: string]: unknown } | boolean;

export interface EndpointBody {
  readonly contentType: string;
  readonly required: boolean;
  readonly schema?: JsonSchema;
  /**
   * The fields of a form body (`multipart/form-data` or `application/x-www-form-urlencoded`), from a
   * Swagger `formData` parameter list or an OpenAPI 3 form schema's properties.
   */
  readonly fields?: readonly FormField[];
}

/** The two form bodies the body tab writes field by field. */
export type FormKind = 'multipart' | 'urlencoded';

/** Whether a content type is a form the body tab writes field by field. */
export function formKindOf(contentType: string | undefined): FormKind | undefined {
  if (!contentType) return undefined;
  if (/^multipart\/form-data\s*(;|$)/i.test(contentType)) return 'multipart';
  if (/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType)) return 'urlencoded';
  return undefined;
}

/** One field of a form body: a value typed in, or (multipart only) a file read from disk. */
export interface FormField {
  readonly name: string;
  readonly kind: 'text' | 'file';
  readonly required: boolean;
  readonly description: string;
  readonly default?: string;
  readonly choices?: readonly string[];
}

export interface EndpointParam {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly description: string;
  readonly required?: boolean;
  /** Prefilled value. */
  readonly default?: string;
  /** A fixed set of values, offered as a pick list. */
  readonly choices?: readonly string[];
  /** Prefill from the session: the token's subject (the user's UUID). */
  readonly fromSession?: 'sub';
  /** A paging parameter (prefilled with a sensible default, filled in by "Load Next Page"). */
  readonly paging?: boolean;
}

/**
 * Whether Concur still offers an endpoint, from Concur's list of deprecated APIs (or an API
 * definition's `deprecated` flag): `since` is the date (YYYY-MM-DD) when known and `successor` the
 * catalog id of what to use instead.
 */
export type EndpointStatus =
  | { readonly kind: 'current' }
  | { readonly kind: 'deprecated'; readonly since?: string; readonly successor?: string }
  | { readonly kind: 'decommissioned'; readonly since?: string; readonly successor?: string };

export interface Endpoint {
  readonly id: string;
  readonly product: string;
  readonly title: string;
  readonly method: HttpMethod;
  /** Path template with `{name}` for path parameters. */
  readonly path: string;
  readonly scopes: readonly string[];
  readonly tokenTypes: readonly TokenType[];
  readonly paging: PagingStyle;
  readonly params: readonly EndpointParam[];
  readonly description: string;
  readonly docs?: string;
  /** Current when absent. */
  readonly status?: EndpointStatus;
  /** The request body, for methods that take one. */
  readonly body?: EndpointBody;
  /** Schemas of the answers by status code as the document writes it (`200`, `2XX`, `default`). */
  readonly responses?: Readonly<Record<string, JsonSchema>>;
  /** The group inside the product (an API definition's tag). */
  readonly tag?: string;
  /** The API definition the entry comes from (its id in the catalog); built-in when absent. */
  readonly source?: string;
}

/** An API definition's entries, as the catalog holds them next to the built-in ones. */
export interface DefinitionEntries {
  /** Stable id of the source (from the setting's text). */
  readonly id: string;
  /** The setting's text: a file path or an https URL. */
  readonly location: string;
  /** The document's title and version: the product group's name. */
  readonly product: string;
  readonly endpoints: readonly Endpoint[];
  /** What could not be read and was left out or read leniently (a broken `$ref`, a cookie parameter…), for the log and the catalog. */
  readonly warnings?: readonly string[];
}
