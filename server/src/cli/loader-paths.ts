// Where the bin's code cache lives and what its files are called (see loader.ts).
import type fs from "node:fs";
import path from "node:path";

/** The folder of the code cache, or undefined when it is turned off or has no place. */
export function compileCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string | undefined {
  const setting = env.IMMUTABLY_COMPILE_CACHE;
  if (setting === "0" || setting?.toLowerCase() === "off") return undefined;
  if (setting) return path.resolve(setting);
  if (platform === "win32") return env.LOCALAPPDATA ? path.join(env.LOCALAPPDATA, "immutably", "cache") : undefined;
  if (platform === "darwin") return home ? path.join(home, "Library", "Caches", "immutably") : undefined;
  const base =
    env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : home ? path.join(home, ".cache") : undefined;
  return base ? path.join(base, "immutably") : undefined;
}

/** The cache file's name: the bundle (version, size, modification time), Node's version, the architecture and V8's flags. */
export function compileCacheName(version: string, bundle: fs.Stats, nodeVersion: string, arch: string, flags: string): string {
  return `cli-${version}-${bundle.size}-${Math.floor(bundle.mtimeMs)}-${nodeVersion}-${arch}-${flags}.v8cache`;
}
