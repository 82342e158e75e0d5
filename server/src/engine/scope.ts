// One module as rules see it: a root module linted as its folder, or a module instantiated by a module call with the call's arguments.
import path from "node:path";
import { attr, type Block, type Expr, type SourceFile } from "./model.ts";
import { Resolver, type Binding } from "./resolve.ts";
import type { Followed, Module, ModuleCallSite, Resolved, Scope } from "./types.ts";

/** What a scope needs from the run it belongs to. */
export interface ScopeServices {
  /** Reads a file through the host (scripts named by `file()` and `templatefile()`). */
  readFile(absolutePath: string): string | undefined;
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
  private blocks: Array<{ block: Block; file: SourceFile }> | undefined;
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

  readModuleFile(relativePath: string): { path: string; text: string } | undefined {
    const abs = path.resolve(this.module.dir, relativePath);
    const text = this.services.readFile(abs);
    return text === undefined ? undefined : { path: abs, text };
  }

  topBlocks(type?: string): Array<{ block: Block; file: SourceFile }> {
    this.blocks ??= this.module.files.flatMap((file) => file.body.blocks.filter((block) => !this.absent(block, file)).map((block) => ({ block, file })));
    if (!type) return this.blocks;
    // Every rule asks for the resources, several for the data sources and locals: each list is made once.
    let list = this.blocksByType.get(type);
    if (!list) this.blocksByType.set(type, (list = this.blocks.filter((b) => b.block.type === type)));
    return list;
  }

  private readonly blocksByType = new Map<string, Array<{ block: Block; file: SourceFile }>>();

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
    return items === null || (Array.isArray(items) && items.length === 0) || (typeof items === "object" && items !== null && Object.keys(items).length === 0);
  }

  /** Every `module` block of the module. */
  moduleCalls(): ModuleCallSite[] {
    this.calls ??= this.module.kind === "terraform" ? this.topBlocks("module").flatMap(({ block, file }) => (block.labels[0] === undefined ? [] : [{ name: block.labels[0], block, file }])) : [];
    return this.calls;
  }

  moduleCallsNotFollowed(): ModuleCallSite[] {
    return this.services.callsNotFollowed(this);
  }
}
