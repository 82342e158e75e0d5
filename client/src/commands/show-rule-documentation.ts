// "Show Rule Documentation": renders a rule's page (from the server, so it matches the installed rules) in the Markdown preview.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { RULE_DOCUMENTATION_REQUEST, type RuleDocumentation, type RuleDocumentationParams } from "../../../server/src/lsp/protocol.ts";

const SCHEME = "immutably-rule";

export function registerShowRuleDocumentation(context: vscode.ExtensionContext, client: LanguageClient): void {
  const pages = new Map<string, string>();
  const fetchDocs = (params: RuleDocumentationParams) => client.sendRequest<RuleDocumentation[]>(RULE_DOCUMENTATION_REQUEST, params);
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      provideTextDocumentContent: (uri) => pages.get(uri.path.replace(/^\//, "").replace(/\.md$/, "")) ?? "",
    }),
    vscode.commands.registerCommand("immutably.showRuleDocumentation", async (ruleId?: unknown) => {
      let id = typeof ruleId === "string" ? ruleId : undefined;
      if (!id) {
        const all = await fetchDocs({});
        const pick = await vscode.window.showQuickPick(
          all.map((d) => ({ label: d.id, detail: d.summary })),
          { title: "Immutably: Show Rule Documentation", matchOnDetail: true },
        );
        if (!pick) return;
        id = pick.label;
      }
      const [doc] = await fetchDocs({ ruleId: id });
      if (!doc) {
        void vscode.window.showWarningMessage(`Immutably has no rule "${id}".`);
        return;
      }
      pages.set(doc.id, doc.markdown);
      await vscode.commands.executeCommand("markdown.showPreview", vscode.Uri.from({ scheme: SCHEME, path: `/${doc.id}.md` }));
    }),
  );
}
