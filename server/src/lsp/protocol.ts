// The requests and commands the server and the extension share beyond standard LSP; imports nothing so both sides can use it.

/** Request: the documentation of one rule (by id) or of every rule. */
export const RULE_DOCUMENTATION_REQUEST = "immutably/ruleDocumentation";

export interface RuleDocumentationParams {
  /** Omit for every rule (the command palette's quick pick). */
  ruleId?: string;
}

export interface RuleDocumentation {
  id: string;
  summary: string;
  /** The full page, the same text as docs/rules/<id>.md and `immutably explain <id>`. */
  markdown: string;
  /** The file: URL of the page shipped with the extension (docs/rules/<id>.md). */
  url: string;
}

/** The code action kind of immutably's fix-all, as editors request it on save (`"editor.codeActionsOnSave": { "source.fixAll.immutably": "explicit" }`). */
export const FIX_ALL_KIND = "source.fixAll.immutably";

/** Whether a requested code action kind covers `kind`: the kind itself or one of its parents (`source` covers `source.fixAll`). */
export function kindCovers(requested: string, kind: string): boolean {
  return kind === requested || kind.startsWith(`${requested}.`);
}

/** Whether a requested code action kind covers immutably's fix-all: the kind itself, `source.fixAll` or `source`. */
export function coversFixAll(kind: string): boolean {
  return kindCovers(kind, FIX_ALL_KIND);
}

/**
 * Whether a requested kind is a fix-all request that includes immutably's: `source.fixAll` or
 * `source.fixAll.immutably`, as a save with `editor.codeActionsOnSave` asks. `source` alone (the
 * Source Action menu) covers fix-all too, but is not a fix-all request.
 */
export function isFixAllRequest(kind: string): boolean {
  return coversFixAll(kind) && kindCovers("source.fixAll", kind);
}

/** Whether a code action request (its `context.only`) asks for fix-all and nothing else: the request a save makes. */
export function asksOnlyForFixAll(only: readonly string[] | undefined): boolean {
  return only !== undefined && only.length > 0 && only.every(isFixAllRequest);
}

/** The client command that opens a rule's documentation, called with the rule id (code actions and hovers use it). */
export const SHOW_DOCS_COMMAND = "immutably.showRuleDocumentation";

/** workspace/executeCommand: rescans the workspace and lints every folder, with progress. */
export const LINT_WORKSPACE_COMMAND = "immutably.server.lintWorkspace";

/** Initialization options the extension (or a test) may pass. */
export interface InitializationOptions {
  /**
   * Quiet time after an edit before linting, in milliseconds. 0 (the default) lints at once when no
   * lint is running and coalesces the edits that arrive while one runs; above 0, every edit restarts
   * the wait (a trailing debounce). No edit waits more than 250 ms either way.
   */
  debounceMs?: number;
  /**
   * Benchmarks: after publishing the diagnostics of an edited document, send `TIMING_NOTIFICATION`
   * with the time from receiving that edit to publishing them, as measured in the server.
   */
  reportTimings?: boolean;
  /**
   * Edit a copy of the largest open document (or a built-in one) in memory for a moment at start, so
   * that the first keystrokes do not run the edit path unoptimised (see warm-up.ts; default: on with
   * tree-sitter (`IMMUTABLY_PARSER=tree-sitter`), off with the own reader; tests and benchmarks set it).
   */
  warmUp?: boolean;
  /**
   * A client command that opens a rule's documentation, called with the rule id (VS Code:
   * `immutably.showRuleDocumentation`, the bundled page in the Markdown preview). Hovers link to it;
   * without it they link to the page's file: URL.
   */
  showDocumentationCommand?: string;
}

/** Notification (server to client, only with `reportTimings`): edit-to-diagnostics time of one document version. */
export const TIMING_NOTIFICATION = "immutably/timing";

export interface TimingParams {
  uri: string;
  version: number;
  /** From the didChange of this version arriving to its publishDiagnostics being sent. */
  milliseconds: number;
  /** How much of that time the garbage collector took (V8's GCProfiler, from the first pending edit's arrival to this publish). */
  gcMilliseconds: number;
}

/**
 * Node options the extension starts the server with (and tests and benchmarks, to run it alike).
 * `--expose-gc` lets the server collect garbage once a workspace pass ends (see `releaseMemory`):
 * V8 would otherwise keep the heap it grew while linting every folder until it needs it again.
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ["--expose-gc"];
