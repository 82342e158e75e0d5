// Maps a plan's resource addresses to their resource blocks in the configuration, through module calls.
import path from "node:path";
import { fileRole } from "../files.ts";
import { isLocalSource, parseInstalledModules } from "../modules.ts";
import type { Block, SourceFile } from "../model.ts";
import { parseHcl, parseJson, terraformJsonLayout } from "../parse.ts";
import type { PlanDocument } from "./document.ts";

/** The reads the locator needs, handed in by the front end (the engine does no I/O of its own). */
export interface PlanHost {
  /** A file's text; undefined when it is missing or is not read (outside the repository, too large). */
  readFile(file: string): string | undefined;
  /** The names of the regular files in a folder; undefined when it cannot be read. */
  listFiles(dir: string): string[] | undefined;
}

export interface LocatedBlock {
  file: SourceFile;
  block: Block;
}

/** Finds resource blocks of one configuration (the folder the plan was made in) and its called modules. */
export class ConfigurationLocator {
  private readonly modules = new Map<string, SourceFile[]>();
  private installed: Map<string, string> | undefined;

  constructor(
    private readonly rootDir: string,
    private readonly document: PlanDocument,
    private readonly host: PlanHost,
  ) {}

  /**
   * The folder of the module a path of call names leads to: a local source relative to its caller, or
   * the folder `terraform init` installed a registry or remote module into (`.terraform/modules/modules.json`).
   */
  moduleDir(modulePath: readonly string[]): string | undefined {
    let dir = this.rootDir;
    let module = this.document.root;
    for (let i = 0; i < modulePath.length; i++) {
      const call = module.calls.get(modulePath[i]);
      if (!call) return undefined;
      if (isLocalSource(call.source)) dir = path.resolve(dir, call.source);
      else {
        this.installed ??= (() => {
          const text = this.host.readFile(path.join(this.rootDir, ".terraform", "modules", "modules.json"));
          return text === undefined ? new Map<string, string>() : parseInstalledModules(this.rootDir, text);
        })();
        const installedDir = this.installed.get(modulePath.slice(0, i + 1).join("."));
        if (!installedDir) return undefined;
        dir = installedDir;
      }
      module = call.module;
    }
    return dir;
  }

  /** The `resource "<type>" "<name>"` block of a change, when its module's files can be read. */
  find(modulePath: readonly string[], type: string, name: string): LocatedBlock | undefined {
    const dir = this.moduleDir(modulePath);
    if (dir === undefined) return undefined;
    for (const file of this.filesOf(dir)) {
      const block = file.body.blocks.find((b) => b.type === "resource" && b.labels[0] === type && b.labels[1] === name);
      if (block) return { file, block };
    }
    return undefined;
  }

  private filesOf(dir: string): SourceFile[] {
    let files = this.modules.get(dir);
    if (files) return files;
    files = [];
    for (const name of this.host.listFiles(dir) ?? []) {
      const file = path.join(dir, name);
      if (fileRole(file) !== "terraform") continue;
      const text = this.host.readFile(file);
      if (text === undefined) continue;
      try {
        files.push(file.endsWith(".json") ? parseJson(file, text, terraformJsonLayout) : parseHcl(file, text));
      } catch {
        // A file the parser cannot take holds no block to point at; the finding points at the plan instead.
      }
    }
    this.modules.set(dir, files);
    return files;
  }
}
