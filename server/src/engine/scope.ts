// One module as rules see it: a root module linted as its folder, or a module instantiated by a module call with the call's arguments.
import path from "node:path";
import { attr, type Attribute, type Block, type Expr, type Range, type SourceFile } from "./model.ts";
import { ModuleIndex, type TopBlock } from "./module-index.ts";
import { Resolver, type Binding } from "./resolve.ts";
import type { Followed, Module, ModuleCallSite, ModuleFileRead, Resolved, Scope } from "./types.ts";
import { isInside } from "./workspace.ts";

/** What a host answers for a file: its text, undefined when there is no such file, or why it was not read. */
export type HostRead = string | undefined | { refused: string };

/** What a scope needs from the run it belongs to. */
export interface ScopeServices {
  /** Reads a file through the host (scripts named by `file()` and `templatefile()`), inside `within`. */
  readFile(absolutePath: string, within: string | undefined): HostRead;
  /** The folder reads for a module in `dir` stay inside (see `readRoot` in workspace.ts), when the host confines reads. */
  readRoot(dir: string): string | undefined;
  /** A file a rule asked for at `at` (a `file()` path argument) that was not read, and why. */
  refused(at: { file: SourceFile; range: Range }, relativePath: string, reason: string): void;
  /** The module calls of a scope whose module cannot be read. */
  callsNotFollowed(scope: ModuleScope): ModuleCallSite[];
}

/** Where a scope sits among module calls. */
export interface Placement {
  /** The folder of the root module: its `.terraform/modules/modules.json` says where remote modules were downloaded. */
  rootDir: string;
  /** The names of the module calls from the root to this module (`["web", "asg"]` for module.web.module.asg); empty for the root. */
  keyPath: string[];
  /** The call's arguments by variable name; undefined for a root module. */
  bindings?: ReadonlyMap<string, Binding>;
  /** Identifies the scope among those of one run (part of the keys under which module instances are remembered). */
  id: number;
}

export class ModuleScope implements Scope {
  private readonly resolver: Resolver;
  private readonly index = new ModuleIndex(() =>
    this.module.files.flatMap((file) => file.body.blocks.filter((block) => !this.absent(block, file)).map((block) => ({ block, file }))),
  );
  private calls: ModuleCallSite[] | undefined;

  constructor(
    readonly module: Module,
    readonly placement: Placement,
    private readonly services: ScopeServices,
  ) {
    this.resolver = new Resolver(module, { owner: this, bindings: placement.bindings });
  }

  resolve(expr: Expr, file: SourceFile): Resolved | undefined {
    return this.resolver.resolve(expr, file);
  }

  follow(expr: Expr, file: SourceFile): Followed[] {
    return this.resolver.follow(expr, file);
  }

  readModuleFile(relativePath: string, at?: { file: SourceFile; range: Range }): ModuleFileRead | undefined {
    const abs = path.resolve(this.module.dir, relativePath);
    const root = this.services.readRoot(this.module.dir);
    // A path that leaves the root as written is refused before the host is asked (no read, no record of it).
    const answer = root !== undefined && !isInside(root, abs) ? { refused: `outside ${root}` } : this.services.readFile(abs, root);
    if (answer === undefined) return undefined;
    if (typeof answer === "string") return { path: abs, text: answer };
    if (at) this.services.refused(at, relativePath, answer.refused);
    return { path: abs, refused: answer.refused };
  }

  /** Every rule asks for the resources, several for the data sources and locals: the index sorts them once. */
  topBlocks(type?: string): readonly TopBlock[] {
    return this.index.topBlocks(type);
  }

  findTopBlock(type: string, ...labels: string[]): TopBlock | undefined {
    return this.index.findTopBlock(type, labels);
  }

  findLocal(name: string): { attribute: Attribute; file: SourceFile } | undefined {
    return this.index.findLocal(name);
  }

  /**
   * Whether a module call's values leave a resource out (`count = 0`, an empty `for_each`): modules
   * create one of several variants that way, and the others do not exist for this call. A root
   * module's resources are all kept, since its variables may be set where the linter cannot see.
   */
  private absent(block: Block, file: SourceFile): boolean {
    if (!this.placement.bindings || block.type !== "resource") return false;
    const count = attr(block.body, "count");
    if (count) return this.resolve(count.expr, file)?.value === 0;
    const forEach = attr(block.body, "for_each");
    const items = forEach ? this.resolve(forEach.expr, file)?.value : undefined;
    return (
      items === null ||
      (Array.isArray(items) && items.length === 0) ||
      (typeof items === "object" && items !== null && Object.keys(items).length === 0)
    );
  }

  /** Every `module` block of the module. */
  moduleCalls(): ModuleCallSite[] {
    this.calls ??=
      this.module.kind === "terraform"
        ? this.topBlocks("module").flatMap(({ block, file }) =>
            block.labels[0] === undefined ? [] : [{ name: block.labels[0], block, file }],
          )
        : [];
    return this.calls;
  }

  moduleCallsNotFollowed(): ModuleCallSite[] {
    return this.services.callsNotFollowed(this);
  }
}
