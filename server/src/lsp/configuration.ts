// Configuration: the nearest `.immutably.hcl` overlaid with editor settings, re-read on change; config errors become diagnostics.
import fs from "node:fs";
import path from "node:path";
import type { Diagnostic } from "vscode-languageserver/node";
import { DiagnosticSeverity } from "vscode-languageserver/node";
import {
  ConfigurationError,
  defaultConfig,
  findConfigFile,
  ignoreMatcher,
  overlayRuleLevels,
  parseConfig,
  type ResolvedConfig,
  type Rule,
} from "../engine/index.ts";
import type { ConfigError } from "../engine/config.ts";
import { parseRollConfig } from "../roll/config.ts";

/** The `immutably.*` editor settings the server reads (the executable paths belong to the client). */
export interface EditorSettings {
  enable: boolean;
  rules: Record<string, string>;
  lintOnType: boolean;
}

export const DEFAULT_SETTINGS: EditorSettings = { enable: true, rules: {}, lintOnType: true };

/** Accepts whatever the client sent for the `immutably` section, keeping only well-typed values. */
export function normalizeSettings(raw: unknown): EditorSettings {
  const out: EditorSettings = { ...DEFAULT_SETTINGS, rules: {} };
  if (typeof raw !== "object" || raw === null) return out;
  const r = raw as Record<string, unknown>;
  if (typeof r.enable === "boolean") out.enable = r.enable;
  if (typeof r.lintOnType === "boolean") out.lintOnType = r.lintOnType;
  if (typeof r.rules === "object" && r.rules !== null) {
    for (const [id, level] of Object.entries(r.rules as Record<string, unknown>)) if (typeof level === "string") out.rules[id] = level;
  }
  return out;
}

/** The configuration that applies to one folder, and the `.immutably.hcl` it came from. */
export interface FolderConfig {
  config: ResolvedConfig;
  configPath: string | undefined;
  isIgnored(filePath: string): boolean;
}

interface ParsedConfigFile {
  config: ResolvedConfig | undefined;
  diagnostics: Diagnostic[];
  errorText: string | undefined;
}

/** One configuration error as a diagnostic over exactly the attribute, block header or value it is about. */
export function configDiagnostic(e: ConfigError, lines: readonly string[]): Diagnostic {
  const line = Math.max(0, e.line - 1);
  const character = Math.max(0, e.column - 1);
  // An error without an end (none today) marks the rest of its line.
  const end =
    e.endLine !== undefined && e.endColumn !== undefined
      ? { line: e.endLine - 1, character: e.endColumn - 1 }
      : { line, character: Math.max(character, lines[line]?.length ?? character) };
  return {
    range: { start: { line, character }, end },
    severity: DiagnosticSeverity.Error,
    source: "immutably",
    code: "config",
    message: e.message,
  };
}

export class ConfigStore {
  settings: EditorSettings = DEFAULT_SETTINGS;
  private readonly parsed = new Map<string, ParsedConfigFile>();
  private readonly nearest = new Map<string, string | undefined>();
  private readonly folderConfigs = new Map<string, FolderConfig>();

  constructor(
    private readonly rules: Rule[],
    /** Reads `.immutably.hcl`, from the editor when it is open there. */
    private readonly read: (filePath: string) => string | undefined,
  ) {}

  setSettings(settings: EditorSettings): void {
    this.settings = settings;
    this.folderConfigs.clear();
  }

  /** Forgets everything read from `.immutably.hcl` files (one changed, appeared or vanished). */
  invalidate(): void {
    this.parsed.clear();
    this.nearest.clear();
    this.folderConfigs.clear();
  }

  /** Finds `.immutably.hcl` in a folder or its parents by the engine's lookup, as the CLI does; remembered per folder. */
  private findConfig(dir: string): string | undefined {
    if (this.nearest.has(dir)) return this.nearest.get(dir);
    const found = findConfigFile(dir, (p) => fs.existsSync(p));
    this.nearest.set(dir, found);
    return found;
  }

  /** Every `.immutably.hcl` found so far, for reporting their problems. */
  knownConfigFiles(): string[] {
    return [...new Set([...this.nearest.values()].filter((p): p is string => p !== undefined))].sort();
  }

  /** Parses one config file; a broken one yields diagnostics and no configuration. */
  parseFile(configPath: string): ParsedConfigFile {
    const cached = this.parsed.get(configPath);
    if (cached) return cached;
    const text = this.read(configPath);
    let result: ParsedConfigFile;
    if (text === undefined) result = { config: undefined, diagnostics: [], errorText: undefined };
    else {
      let config: ResolvedConfig | undefined;
      const errors: ConfigError[] = [];
      try {
        config = parseConfig(configPath, text, this.rules);
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
        errors.push(...error.errors);
      }
      // The roll's generation blocks are checked too, by the same reader `immutably roll` uses, so the
      // file shows every error the CLI would print. They do not affect linting, so `config` stays.
      try {
        parseRollConfig(configPath, text);
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
        // Syntax errors are already reported by the rules' parse of the same text.
        errors.push(
          ...error.errors.filter(
            (e) => !e.message.startsWith("syntax error:") || !errors.some((x) => x.line === e.line && x.column === e.column),
          ),
        );
      }
      const lines = text.split(/\r\n|\r|\n/);
      const diagnostics = errors.map((e) => configDiagnostic(e, lines));
      result = {
        config,
        diagnostics,
        errorText: errors.length ? errors.map((e) => `${e.path}:${e.line}:${e.column}: ${e.message}`).join("\n") : undefined,
      };
    }
    this.parsed.set(configPath, result);
    return result;
  }

  /** The configuration for files in `dir`. A broken `.immutably.hcl` falls back to the defaults until it is fixed. */
  forFolder(dir: string): FolderConfig {
    const cached = this.folderConfigs.get(dir);
    if (cached) return cached;
    const configPath = this.findConfig(dir);
    const base = (configPath && this.parseFile(configPath).config) || defaultConfig(this.rules);
    // Unknown ids in the settings are reported once per settings change by the server, not per folder.
    const { config } = overlayRuleLevels(base, this.settings.rules);
    const root = configPath ? path.dirname(configPath) : dir;
    const folder: FolderConfig = { config, configPath, isIgnored: ignoreMatcher(root, config.ignorePaths) };
    this.folderConfigs.set(dir, folder);
    return folder;
  }
}
