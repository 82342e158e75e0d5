// The extension's entry point (dist/client.js): creates the output channel, starts the language client and registers the commands. Wiring only.
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { SERVER_NODE_OPTIONS, SHOW_DOCS_COMMAND } from "../../server/src/lsp/protocol.ts";
import { fixAllLogger } from "./fix-all-log.ts";
import { registerLintWorkspace } from "./commands/lint-workspace.ts";
import { registerPruneImages } from "./commands/prune-images.ts";
import { registerRefreshGenerations } from "./commands/refresh-generations.ts";
import { registerRestartServer } from "./commands/restart-server.ts";
import { registerRollBack } from "./commands/roll-back-generation.ts";
import { registerRollNewGeneration } from "./commands/roll-new-generation.ts";
import { registerShowOutput } from "./commands/show-output.ts";
import { registerShowRuleDocumentation } from "./commands/show-rule-documentation.ts";
import { crashHandler } from "./crash-handler.ts";
import { DOCUMENT_SELECTOR } from "./document-selector.ts";
import { RestartBudget } from "./restart-budget.ts";
import { EditorRollHost, workspaceGenerations } from "./roll-host.ts";
import { GenerationViews } from "./views/generation-views.ts";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("Immutably", { log: true });
  context.subscriptions.push(output);

  const module = context.asAbsolutePath("dist/server.js");
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS, "--nolazy", "--inspect=6010"] } },
  };
  const budget = new RestartBudget();
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    // Hovers link to the rule's bundled page through this command (the Markdown preview, offline);
    // it is the only command their Markdown may run.
    initializationOptions: { showDocumentationCommand: SHOW_DOCS_COMMAND },
    markdown: { isTrusted: { enabledCommands: [SHOW_DOCS_COMMAND] } },
    middleware: { provideCodeActions: fixAllLogger((line) => output.info(line)) },
    errorHandler: crashHandler(budget, output, async () => {
      budget.reset();
      await client?.start();
    }),
  };
  // The id "immutably" makes the client honour the `immutably.trace.server` setting.
  client = new LanguageClient("immutably", "Immutably", serverOptions, clientOptions);

  registerShowOutput(context, output);
  registerRestartServer(context, client, budget);
  registerLintWorkspace(context, client);
  registerShowRuleDocumentation(context, client);

  const views = new GenerationViews(() => workspaceGenerations(output, false));
  views.register(context);
  const rollHost = new EditorRollHost(output, () => views.refresh());
  registerRollNewGeneration(context, rollHost);
  registerRollBack(context, rollHost);
  registerPruneImages(context, rollHost);
  registerRefreshGenerations(context, views);

  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
