// The plan checks' reads over the disk: the configuration a plan was made from, read as lint reads it.
import type { PlanHost } from "../engine/plan/index.ts";
import { diskLintHost } from "./lint-host.ts";

/** Regular UTF-8 files under `maxBytes`, inside the repository holding `rootDir`; anything refused reads as absent. */
export function diskPlanHost(rootDir: string, maxBytes: number): PlanHost {
  const disk = diskLintHost(new Map(), [rootDir], maxBytes);
  const within = disk.readRoot(rootDir);
  return {
    readFile: (p) => {
      const read = disk.readFile(p, within);
      return typeof read === "string" ? read : undefined;
    },
    listFiles: (dir) => disk.listFiles(dir, within),
  };
}
