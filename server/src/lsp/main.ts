// The language server's entry point (dist/server.js): creates the connection and the server, and routes each LSP method to its handler in handlers/.
// The transport comes from the command line as vscode-languageserver reads it: --stdio, --node-ipc or --socket=<port>.
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { checkedDocumentEvents } from "./document-sync.ts";
import { FrameFilter } from "./frames.ts";
import { codeAction } from "./handlers/code-action.ts";
import { completion } from "./handlers/completion.ts";
import { didChangeConfiguration } from "./handlers/did-change-configuration.ts";
import { executeCommand } from "./handlers/execute-command.ts";
import { hover } from "./handlers/hover.ts";
import { initialize, initialized } from "./handlers/initialize.ts";
import { ruleDocumentation } from "./handlers/rule-documentation.ts";
import { shutdown } from "./handlers/shutdown.ts";
import { didChangeContent, didClose, didOpen, didSave } from "./handlers/text-document-sync.ts";
import { didChangeWatchedFiles } from "./handlers/watched-files.ts";
import { RULE_DOCUMENTATION_REQUEST, type RuleDocumentationParams } from "./protocol.ts";
import { ImmutablyServer } from "./server.ts";

/**
 * Over stdio the frames pass a filter that drops malformed ones (see frames.ts); over IPC (what the
 * extension uses) and sockets, vscode-languageserver reads the transport from the command line.
 */
const connection = process.argv.includes("--stdio")
  ? createConnection(
      ProposedFeatures.all,
      process.stdin.pipe(new FrameFilter((why) => connection.console.error(`immutably: dropped ${why} from the client`))),
      process.stdout,
    )
  : createConnection(ProposedFeatures.all);
const server = new ImmutablyServer(connection);

connection.onInitialize((params) => initialize(server, params));
connection.onInitialized(() => initialized(server));
connection.onShutdown(() => shutdown(server));
server.store.documents.onDidOpen((e) => didOpen(server, e));
server.store.documents.onDidChangeContent((e) => didChangeContent(server, e));
server.store.documents.onDidSave((e) => didSave(server, e));
server.store.documents.onDidClose((e) => didClose(server, e));
connection.onDidChangeWatchedFiles((params) => didChangeWatchedFiles(server, params));
connection.onDidChangeConfiguration((params) => didChangeConfiguration(server, params));
connection.onCodeAction((params) => codeAction(server, params));
connection.onHover((params) => hover(server, params));
connection.onCompletion((params) => completion(server, params));
connection.onExecuteCommand((params) => executeCommand(server, params));
connection.onRequest(RULE_DOCUMENTATION_REQUEST, (params: RuleDocumentationParams | undefined) => ruleDocumentation(server, params));

// A bug must not take the server down with it: log, and keep serving the other files.
process.on("uncaughtException", (error) => connection.console.error(`immutably: uncaught ${error.stack ?? error.message}`));
process.on("unhandledRejection", (reason) =>
  connection.console.error(`immutably: unhandled ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`),
);

server.store.documents.listen(checkedDocumentEvents(connection, (message) => connection.console.error(message)));
connection.listen();
