// Logs each fix-all request as the editor sees it: how many actions came back, or that VS Code
// cancelled it (it does when the document changes, or another extension registers or removes a code
// action provider for it, while the request runs, and then saves without the fixes). The server
// logs its own side (fix offered, or why not); together the two explain every save that kept a
// fixable problem.
import type { Middleware } from "vscode-languageclient/node";
import { isFixAllRequest } from "../../server/src/lsp/protocol.ts";

type ProvideCodeActions = NonNullable<Middleware["provideCodeActions"]>;

/** Whether a request is a fix-all request that includes immutably's (`source.fixAll` or `source.fixAll.immutably`, as on save); the Source Action menu's `source` is not. */
export function asksForFixAll(only: { value: string } | undefined): boolean {
  return only !== undefined && isFixAllRequest(only.value);
}

/** Middleware for `provideCodeActions` that writes one line to `log` per fix-all request: what it returned, or that the editor cancelled it. */
export function fixAllLogger(log: (line: string) => void, now: () => number = Date.now): ProvideCodeActions {
  return async (document, range, context, token, next) => {
    const started = now();
    const version = document.version;
    const result = await next(document, range, context, token);
    if (!asksForFixAll(context.only)) return result;
    if (token.isCancellationRequested) {
      const changed =
        document.version !== version
          ? ` (the document changed from version ${version} to ${document.version})`
          : " (the document did not change: another extension added or removed a code action provider)";
      log(
        `fix-all: VS Code cancelled the request for ${document.uri.fsPath} version ${version} after ${now() - started} ms${changed}; the save went ahead without immutably's fixes`,
      );
    } else {
      // One line per save with fix-all enabled: what the editor was given to apply.
      const count = Array.isArray(result) ? result.length : 0;
      log(
        `fix-all: ${count} action(s) for ${document.uri.fsPath} version ${version} in ${now() - started} ms${count ? "" : " (the server's log says why none)"}`,
      );
    }
    return result;
  };
}
