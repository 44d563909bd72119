/** A request file as parse.ts reads it: its request blocks, file variables and diagnostics. Types only. */

/** 0-based line, columns [start, end). */
export interface TextSpan {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export type ExpectationOperator = '==' | '!=' | '>' | '>=' | '<' | '<=' | 'contains' | 'exists';

export type Expectation =
  | { readonly kind: 'status'; readonly status: number; readonly span: TextSpan }
  | { readonly kind: 'header'; readonly name: string; readonly contains: string; readonly span: TextSpan }
  | { readonly kind: 'jsonpath'; readonly path: string; readonly op: ExpectationOperator; readonly value?: unknown; readonly span: TextSpan };

export interface RequestHeader {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

/** `< ./file` (sent as the file's bytes) or `<@ ./file`, `<@latin1 ./file` (read as text in that encoding, `{{…}}` expanded). */
export interface BodyInclude {
  readonly kind: 'file';
  readonly path: string;
  readonly expand: boolean;
  /** A Node.js encoding name (`latin1`, `utf16le`…) from `<@latin1`; UTF-8 when absent. */
  readonly encoding?: string;
  readonly line: number;
}

/** A body line as it is sent: its text, or a file whose content stands in its place. */
export type BodyLine = string | BodyInclude;

export interface RequestBody {
  /** The lines the body spans in the file (comments and other tools' scripts among them are not in `lines`). */
  readonly firstLine: number;
  readonly lastLine: number;
  /** What is sent, in order; text lines keep their indentation. How they are joined depends on the Content-Type (see body.ts). */
  readonly lines: readonly BodyLine[];
  /** A curl command's data: the pieces are sent as they are, one after the other, with nothing added between them. */
  readonly verbatim?: boolean;
  /** The text lines joined with line feeds, includes written as in the file (for display and for bodies without includes). */
  readonly text: string;
}

export interface PromptVariable {
  readonly name: string;
  readonly description?: string;
  readonly line: number;
}

export interface RequestBlock {
  /** 0-based, in file order (among the blocks that hold a request). */
  readonly index: number;
  /** From `# @name`, else the `###` line's title (as JetBrains HTTP Client names a request). */
  readonly name?: string;
  /** The text after `###` on the line that opens the block. */
  readonly title?: string;
  /** From `# @concur-session`: an account or label, the rest of the line. */
  readonly session?: string;
  /** From `# @note`: asked before sending (the text, '' when the line gives none). */
  readonly note?: string;
  /** From `# @prompt name [description]`: asked for before sending. */
  readonly prompts?: readonly PromptVariable[];
  /** First line of the block (after the `###` line). */
  readonly firstLine: number;
  /** Last line of the block. */
  readonly lastLine: number;
  /** The `###` line that opens the block; undefined for a block at the top of the file. */
  readonly separatorLine?: number;
  /** Line of METHOD URL (or of `curl`). */
  readonly requestLine: number;
  /** Upper case. */
  readonly method: string;
  /** Raw, with {{…}}, continuation lines joined. */
  readonly url: string;
  /** The URL on the request line (continuation lines are not in it). */
  readonly urlSpan: TextSpan;
  readonly httpVersion?: string;
  /** In file order; a header given twice is here twice (joined when sent, see body.ts). */
  readonly headers: readonly RequestHeader[];
  readonly body?: RequestBody;
  readonly expectations: readonly Expectation[];
  /** Read from a pasted `curl` command. */
  readonly curl?: boolean;
  /** The error diagnostics of this block: while there is one, the request is not sent. */
  readonly errors: readonly ParseDiagnostic[];
}

export interface FileVariable {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'information';

export interface ParseDiagnostic {
  readonly span: TextSpan;
  readonly message: string;
  readonly severity: DiagnosticSeverity;
}

export interface ParsedRequestFile {
  readonly requests: readonly RequestBlock[];
  readonly variables: readonly FileVariable[];
  readonly diagnostics: readonly ParseDiagnostic[];
}
