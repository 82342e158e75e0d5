// Which process a PID names: its start time and the boot it belongs to, so a reused PID is not taken for the run that held a lock.
import fs from "node:fs";

/**
 * A process as Linux names it for good: the boot (`/proc/sys/kernel/random/boot_id`) and its start time
 * in clock ticks since that boot (`/proc/<pid>/stat`, field 22). A PID alone is reused once the process
 * is gone; with these, a lock can tell its holder from a later process that got the same number.
 */
export interface ProcessIdentity {
  boot_id: string;
  start_ticks: string;
}

/** Linux reports process start times in USER_HZ ticks, 100 per second on every architecture it supports. */
const TICKS_PER_SECOND = 100;

function bootId(): string | undefined {
  try {
    return fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return undefined;
  }
}

function startTicks(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = fields[19]; // field 22 overall; `fields` starts at field 3
    return ticks && /^[0-9]+$/.test(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** The identity of a running process, or undefined where /proc is not available (macOS, Windows) or it is gone. */
export function processIdentity(pid: number): ProcessIdentity | undefined {
  const boot = bootId();
  const ticks = startTicks(pid);
  return boot && ticks ? { boot_id: boot, start_ticks: ticks } : undefined;
}

/** When a running process started (epoch ms, to the second), where /proc tells. */
export function processStartedAt(pid: number): number | undefined {
  const ticks = startTicks(pid);
  if (!ticks) return undefined;
  try {
    const btime = /^btime (\d+)$/m.exec(fs.readFileSync("/proc/stat", "utf8"))?.[1];
    return btime ? Number(btime) * 1000 + (Number(ticks) * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this PID (on POSIX, a negative one names a process group) is running on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether `pid` still names the process that recorded itself: it runs, and where the identity was
 * recorded, it is the same boot and start; for a record without one (older immutably), a process that
 * started after `since` is another one. Returns why not, or undefined when it is that process.
 */
export function goneReason(pid: number, identity: ProcessIdentity | undefined, since: string): string | undefined {
  if (!processAlive(pid)) return "is no longer running";
  const now = processIdentity(pid);
  const startedAt = processStartedAt(pid);
  const reused = (): string =>
    `is no longer running (PID ${pid} now belongs to a process started at ${startedAt !== undefined ? new Date(startedAt).toISOString() : "another time"})`;
  if (identity && now) {
    if (identity.boot_id !== now.boot_id) return "is no longer running (the machine restarted since)";
    if (identity.start_ticks !== now.start_ticks) return reused();
    return undefined;
  }
  // Start times from /proc are to the second or so; the holder started before it wrote the lock.
  const lockedAt = Date.parse(since);
  if (startedAt !== undefined && !Number.isNaN(lockedAt) && startedAt > lockedAt + 2000) return reused();
  return undefined;
}
