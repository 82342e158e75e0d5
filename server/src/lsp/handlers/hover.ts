// textDocument/hover: a rule's explanation over its finding (see ../hover.ts), or the documentation of a setting in `.immutably.hcl`.
import type { Hover, HoverParams } from "vscode-languageserver/node";
import { isConfigPath } from "../../engine/index.ts";
import { configHover } from "../config-file.ts";
import { pathOfUri } from "../documents.ts";
import { commandDocsLink, fileDocsLink, provideHover } from "../hover.ts";
import type { ImmutablyServer } from "../server.ts";

export async function hover(server: ImmutablyServer, params: HoverParams): Promise<Hover | null> {
  const { services, store, initOptions } = server;
  const p = pathOfUri(params.textDocument.uri);
  if (p && isConfigPath(p) && services?.configs.settings.enable !== false) {
    const { rules } = await server.linterReady;
    const text = store.documents.get(params.textDocument.uri)?.getText();
    return text === undefined ? null : configHover(p, text, params.position, rules);
  }
  if (!p || !services || !services.configs.settings.enable) return null;
  const docsLink = initOptions.showDocumentationCommand ? commandDocsLink(initOptions.showDocumentationCommand) : fileDocsLink;
  return provideHover(services.scheduler, services.linter.rulesById, p, params.position, (filePath) => store.uriOf(filePath), docsLink);
}
