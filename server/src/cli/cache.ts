// Results cache for `immutably lint --cache`: a folder's findings are reused while nothing that decides them has changed.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Finding, ResolvedConfig, SourceInput } from "../engine/index.ts";
import { writeFileAtomic } from "../host/atomic-write.ts";
import type { PortableResult } from "./parallel.ts";

/**
 * A folder's findings are decided by its files, the configuration, the rules' code, the scripts its
 * rules read through `file()` / `templatefile()`, and the modules its module calls follow (their
 * folders' listings and files). The first three make the key; the files read are stored with a hash
 * each and the folders listed with their names, and both are checked on every lookup.
 */
interface FolderEntry {
  key: string;
  findings: Finding[];
  unusedSuppressions: PortableResult["unusedSuppressions"];
  /** Files the folder's lint read, with a hash of what they held (null when they could not be read). */
  reads: Array<{ path: string; hash: string | null }>;
  /** Folders the folder's lint listed (called modules), with the names found (null when they could not be listed). */
  listings: Array<{ folder: string; names: string[] | null }>;
}

interface CacheFile {
  format: typeof FORMAT;
  /** The tool's build and the configuration: any change empties the cache. */
  salt: string;
  folders: Record<string, FolderEntry>;
}

const FORMAT = 2;

/** How the cache looks at the disk: the same reads and listings the lint made. */
export interface CacheDisk {
  readFile(p: string): string | undefined;
  listFiles(dir: string): string[] | undefined;
}

const hash = (text: string) => crypto.createHash("sha256").update(text).digest("base64url");

/** Where the cache lives unless `--cache-location` says otherwise: a folder of its own, ignored by git. */
export function defaultCacheLocation(configRoot: string): string {
  return path.join(configRoot, ".immutably-cache", "lint.json");
}

export class LintCache {
  private folders: Record<string, FolderEntry> = {};
  private changed = false;

  /**
   * @param file the cache file; a missing, unreadable, corrupt or outdated one means an empty cache
   * @param salt what invalidates every folder at once (see `cacheSalt`)
   */
  constructor(
    readonly file: string,
    private readonly salt: string,
  ) {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      return;
    }
    try {
      const data = JSON.parse(text) as Partial<CacheFile>;
      if (data.format === FORMAT && data.salt === salt && data.folders && typeof data.folders === "object") this.folders = data.folders;
    } catch {
      // A corrupt cache (an interrupted write on another tool's part, a hand edit) is rebuilt.
    }
    this.changed = false;
  }

  /** The key of a folder's files: their paths and texts, in path order. */
  static keyOf(inputs: SourceInput[]): string {
    const h = crypto.createHash("sha256");
    for (const input of [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)))
      h.update(input.path).update("\0").update(input.text).update("\0");
    return h.digest("base64url");
  }

  /** The stored result of a folder, if its key matches, every file it read still holds the same text and every folder it listed the same files. */
  get(dir: string, key: string, disk: CacheDisk): FolderEntry | undefined {
    const entry = Object.prototype.hasOwnProperty.call(this.folders, dir) ? this.folders[dir] : undefined;
    if (!entry || entry.key !== key) return undefined;
    for (const read of entry.reads) {
      const text = disk.readFile(read.path);
      if ((text === undefined ? null : hash(text)) !== read.hash) return undefined;
    }
    for (const listing of entry.listings ?? []) {
      if (JSON.stringify(disk.listFiles(listing.folder) ?? null) !== JSON.stringify(listing.names)) return undefined;
    }
    return entry;
  }

  set(dir: string, entry: Omit<FolderEntry, "reads" | "listings"> & { reads: string[]; listed: string[] }, disk: CacheDisk): void {
    const reads = [...new Set(entry.reads)].sort().map((p) => {
      const text = disk.readFile(p);
      return { path: p, hash: text === undefined ? null : hash(text) };
    });
    const listings = [...new Set(entry.listed)].sort().map((folder) => ({ folder, names: disk.listFiles(folder) ?? null }));
    this.folders[dir] = { key: entry.key, findings: entry.findings, unusedSuppressions: entry.unusedSuppressions, reads, listings };
    this.changed = true;
  }

  /** Drops folders that are no longer linted under this cache's root (deleted or renamed ones). */
  forgetMissing(exists: (dir: string) => boolean): void {
    for (const dir of Object.keys(this.folders)) {
      if (!exists(dir)) {
        delete this.folders[dir];
        this.changed = true;
      }
    }
  }

  /** Writes the cache atomically; returns a message instead of throwing when it cannot (the lint result stands). */
  save(): string | undefined {
    if (!this.changed) return undefined;
    try {
      const dir = path.dirname(this.file);
      fs.mkdirSync(dir, { recursive: true });
      // The default folder is the cache's own: keep it out of version control, as ruff and pytest do.
      const ignore = path.join(dir, ".gitignore");
      if (path.basename(dir) === ".immutably-cache" && !fs.existsSync(ignore))
        fs.writeFileSync(ignore, "# Created by immutably --cache\n*\n");
      const data: CacheFile = { format: FORMAT, salt: this.salt, folders: this.folders };
      writeFileAtomic(this.file, JSON.stringify(data));
      this.changed = false;
      return undefined;
    } catch (error) {
      return `could not write the cache ${this.file}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

/**
 * What invalidates the whole cache: the tool's version and the exact code running (a rebuilt bundle
 * may change any rule), and the resolved configuration (rule levels and options, limits).
 */
export function cacheSalt(version: string, config: ResolvedConfig): string {
  let code: string;
  try {
    // In the bundle this file is the bundle (dist/cli-main.js); run from source, the entry module.
    code = hash(fs.readFileSync(__filename.endsWith(".js") ? __filename : (require.main?.filename ?? __filename), "utf8"));
  } catch {
    code = String(Date.now()); // an unreadable entry file: never reuse results
  }
  return hash(JSON.stringify([version, code, config]));
}
