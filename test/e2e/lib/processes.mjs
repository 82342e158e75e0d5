// Starts long-lived helpers (code-server) as process-group leaders and stops them, and every
// member of their group that outlives them, by PID. Nothing is ever stopped by name.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";

/**
 * Spawns a command in a new session, so that it leads its own process group whose id is its PID.
 * Node's `detached: true` calls setsid(2) in the child, which is what the `setsid` tool does.
 * code-server forks an extension host, a pty host and file watchers; some of them outlive the
 * server when it is stopped, and the group id is how they are found again.
 */
export function spawnGroupLeader(command, args, { env, cwd, logFile }) {
  const out = fs.openSync(logFile, "a");
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { pid: child.pid, child, exited };
}

/** Lists the live (non-zombie) members of a process group, by reading `ps`. */
export function groupMembers(pgid) {
  let text;
  try {
    text = execFileSync("ps", ["-eo", "pid=,pgid=,stat=,args="], { encoding: "utf8" });
  } catch {
    return [];
  }
  const members = [];
  for (const line of text.split("\n")) {
    const m = line.trim().match(/^(\d+)\s+(\d+)\s+(\S+)\s*(.*)$/);
    if (m && Number(m[2]) === pgid && !m[3].startsWith("Z")) members.push({ pid: Number(m[1]), args: m[4] });
  }
  return members;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers signal 0 but has already exited; its parent only has to reap it.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    // The process has already gone, which is what we want.
  }
}

/** Resolves once none of `pids` is alive, or after `timeoutMs`; returns the survivors. */
async function waitGone(pids, timeoutMs) {
  const end = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length && Date.now() < end) {
    // Exit of an unrelated process cannot be awaited as an event, so its state is polled.
    await new Promise((r) => setTimeout(r, 50));
    alive = alive.filter(isAlive);
  }
  return alive;
}

/**
 * Stops a group leader with SIGTERM and waits for it to exit, then sends SIGTERM to each member
 * of its group still alive, then SIGKILL to any that ignored it. Returns what it did, for the log.
 */
export async function stopGroup(leader, { name, log }) {
  if (!leader || leader.stopped) return;
  leader.stopped = true;
  const pgid = leader.pid;
  const before = groupMembers(pgid).map((m) => m.pid);
  log(`stopping ${name} (pid ${pgid}; group members ${before.join(" ") || "none"})`);
  signal(pgid, "SIGTERM");
  await Promise.race([leader.exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (isAlive(pgid)) {
    log(`  ${name}: pid ${pgid} ignored SIGTERM for 10 s, SIGKILL`);
    signal(pgid, "SIGKILL");
  }
  const survivors = [...new Set([...before, ...groupMembers(pgid).map((m) => m.pid)])].filter((p) => p !== pgid && isAlive(p));
  for (const pid of survivors) {
    log(`  ${name}: pid ${pid} outlived the leader, SIGTERM`);
    signal(pid, "SIGTERM");
  }
  for (const pid of await waitGone(survivors, 5_000)) {
    log(`  ${name}: pid ${pid} ignored SIGTERM, SIGKILL`);
    signal(pid, "SIGKILL");
  }
  const left = await waitGone(groupMembers(pgid).map((m) => m.pid), 2_000);
  log(left.length ? `  WARNING: ${name} group still has ${left.join(" ")}` : `  ${name} stopped, nothing left in its process group`);
}

/**
 * Stops, by PID, every process other than this one whose command line mentions `marker` (a
 * folder unique to this run), for helpers that left their process group.
 */
export async function stopStrays(marker, { log }) {
  let text;
  try {
    text = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  } catch {
    return;
  }
  const pids = [];
  for (const line of text.split("\n")) {
    const m = line.trim().match(/^(\d+)\s+(.*)$/);
    if (m && Number(m[1]) !== process.pid && m[2].includes(marker)) pids.push(Number(m[1]));
  }
  if (!pids.length) return;
  log(`stopping strays of this run: ${pids.join(" ")}`);
  for (const pid of pids) signal(pid, "SIGTERM");
  for (const pid of await waitGone(pids, 5_000)) signal(pid, "SIGKILL");
}
