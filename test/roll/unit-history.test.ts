// Unit tests for generation history: status transitions, rollback and prune selection, atomic writes under a full disk, locks.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import {
  deployedOf,
  HistoryError,
  lastVerified,
  markFailed,
  markLive,
  markPromoted,
  markPruned,
  markVerified,
  pruneCandidates,
  recordBaked,
  rollbackTarget,
  sharingImage,
  validateHistory,
  type History,
} from "../../server/src/roll/history.ts";
import { HistoryStore } from "../../server/src/roll/history-store.ts";
import { LockHeldError, OrphanedToolError } from "../../server/src/roll/lock.ts";
import { Redactor } from "../../server/src/roll/redact.ts";
import { tempDir } from "./helpers.ts";

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const baked = (image: string) => ({
  name: "web",
  image,
  artifact_id: image,
  builder: "file",
  created_at: "2026-01-01T00:00:00.000Z",
  git_commit: "",
});

function rolled(n: number): History {
  let h: History = { generations: [] };
  for (let i = 1; i <= n; i++) {
    const r = recordBaked(h, baked(`/img/${i}`));
    h = markLive(r.history, "web", r.number);
  }
  return h;
}

test("recordBaked numbers per name and starts pending", () => {
  const a = recordBaked({ generations: [] }, baked("/a"));
  const b = recordBaked(a.history, baked("/b"));
  const other = recordBaked(b.history, { ...baked("/c"), name: "api" });
  assert.deepEqual([a.number, b.number, other.number], [1, 2, 1]);
  assert.equal(b.history.generations[1].status, "pending");
});

test("markLive: exactly one live; the replaced one becomes previous or isolated", () => {
  const h = rolled(3);
  assert.deepEqual(
    h.generations.map((g) => g.status),
    ["previous", "previous", "live"],
  );
  const r = recordBaked(h, baked("/img/4"));
  const iso = markLive(r.history, "web", 4, "isolated");
  assert.deepEqual(
    iso.generations.map((g) => g.status),
    ["previous", "previous", "isolated", "live"],
  );
  assert.deepEqual(validateHistory(iso), []);
});

test("failed and pruned generations cannot go live; live ones cannot fail or be pruned", () => {
  const h = rolled(2);
  const r = recordBaked(h, baked("/img/3"));
  const failed = markFailed(r.history, "web", 3, "verify failed");
  assert.throws(() => markLive(failed, "web", 3), /failed and cannot become live/);
  assert.throws(() => markFailed(failed, "web", 2, "x"), /is live/);
  assert.throws(() => markPruned(failed, "web", 2), /never pruned/);
  const pruned = markPruned(failed, "web", 1);
  assert.throws(() => markLive(pruned, "web", 1), /pruned and cannot become live/);
});

test("rollbackTarget: newest previous older than live, --to N, and refusals", () => {
  const h = rolled(3);
  assert.equal(rollbackTarget(h, "web").number, 2);
  assert.equal(rollbackTarget(h, "web", 1).number, 1);
  assert.throws(() => rollbackTarget(h, "web", 3), /already live/);
  assert.throws(() => rollbackTarget(h, "web", 9), /does not exist/);
  const afterBack = markLive(h, "web", 2);
  assert.equal(rollbackTarget(afterBack, "web").number, 1, "a second rollback goes further back, not forward to #3");
  assert.throws(() => rollbackTarget(markPruned(markPruned(afterBack, "web", 1), "web", 3), "web"), /no previous generation/);
  assert.throws(() => rollbackTarget(rolled(1), "web"), /no previous/);
});

test("pruneCandidates keeps the newest N with an image and never the live or pending one", () => {
  let h = rolled(5);
  assert.deepEqual(
    pruneCandidates(h, "web", 2).map((g) => g.number),
    [3, 2, 1],
  );
  h = markLive(h, "web", 1); // rolled back to #1: the live one is old
  assert.deepEqual(
    pruneCandidates(h, "web", 2).map((g) => g.number),
    [3, 2],
  );
  h = markPruned(h, "web", 3);
  assert.deepEqual(
    pruneCandidates(h, "web", 2).map((g) => g.number),
    [2],
    "pruned ones no longer count toward keep",
  );
  const pending = recordBaked(h, baked("/img/6")).history;
  assert.ok(!pruneCandidates(pending, "web", 0).some((g) => g.status === "pending" || g.status === "live"));
});

test("validateHistory finds two live generations and bad fields", () => {
  const h = rolled(2);
  const bad = { generations: h.generations.map((g) => ({ ...g, status: "live" })) };
  assert.match(validateHistory(bad).join(";"), /2 live generations/);
  assert.match(validateHistory({ generations: [{ number: 0 }] }).join(";"), /number/);
  assert.deepEqual(validateHistory([]), ["expected an object with a generations list"]);
});

test("fault: a full disk during a history write leaves the old file intact and no temp file", () => {
  const dir = tempDir("hist");
  dirs.push(dir);
  const good = new HistoryStore(dir, new Redactor());
  good.update((h) => markLive(recordBaked(h, baked("/img/1")).history, "web", 1));
  const before = fs.readFileSync(good.file, "utf8");
  const full = new HistoryStore(dir, new Redactor(), {
    writeNewFile: (file, data) => {
      fs.writeFileSync(file, data.slice(0, 10));
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    },
  });
  assert.throws(() => full.update((h) => recordBaked(h, baked("/img/2")).history), /ENOSPC/);
  assert.equal(fs.readFileSync(good.file, "utf8"), before);
  assert.deepEqual(
    fs.readdirSync(good.dir).filter((f) => f.endsWith(".tmp")),
    [],
  );
  assert.deepEqual(
    fs.readdirSync(good.dir).filter((f) => f.endsWith(".lock")),
    [],
    "the history lock is released after the failure",
  );
});

test("a corrupt history is reported and never overwritten", () => {
  const dir = tempDir("hist");
  dirs.push(dir);
  const store = new HistoryStore(dir, new Redactor());
  fs.mkdirSync(store.dir, { recursive: true });
  fs.writeFileSync(store.file, "{ not json");
  assert.throws(() => store.read(), HistoryError);
  assert.throws(() => store.update((h) => h), HistoryError);
  assert.equal(fs.readFileSync(store.file, "utf8"), "{ not json");
});

test("secrets are redacted before history is written", () => {
  const dir = tempDir("hist");
  dirs.push(dir);
  const redactor = new Redactor();
  redactor.addSecret("hunter2-password");
  const store = new HistoryStore(dir, redactor);
  store.update((h) => markFailed(recordBaked(h, baked("/img/1")).history, "web", 1, "failed: AKIAIOSFODNN7EXAMPLE hunter2-password"));
  const text = fs.readFileSync(store.file, "utf8");
  assert.doesNotMatch(text, /AKIAIOSFODNN7EXAMPLE|hunter2-password/);
  assert.match(text, /\[REDACTED\]/);
});

test("lock: a live holder blocks; a stale lock from a dead PID is cleared with a message", () => {
  const dir = tempDir("lock");
  dirs.push(dir);
  const store = new HistoryStore(dir, new Redactor());
  const messages: string[] = [];
  const held = store.lockName("web", "roll web", (l) => messages.push(l));
  assert.throws(
    () => new HistoryStore(dir, new Redactor()).lockName("web", "roll web", () => {}),
    (e: unknown) => {
      // Our own PID holds it: another run in the same process is as blocked as one in another process.
      return e instanceof LockHeldError || /holds/.test(String(e));
    },
  );
  held.release();
  // A PID that certainly ran and exited: a child we started and waited for.
  const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid;
  assert.ok(dead);
  fs.writeFileSync(
    path.join(store.dir, "web.lock"),
    JSON.stringify({ pid: dead, hostname: os.hostname(), started_at: "2026-01-01T00:00:00Z", command: "roll web" }),
  );
  const taken = store.lockName("web", "roll web", (l) => messages.push(l));
  assert.match(
    messages.join("\n"),
    new RegExp(`removed a stale lock .*process ${dead} \\(roll web, started 2026-01-01T00:00:00Z\\) is no longer running`),
  );
  taken.release();
  assert.ok(!fs.existsSync(path.join(store.dir, "web.lock")));
});

test("lock: the tool a run has running is recorded; a dead holder whose tool still runs keeps its lock, with a message naming the tool", async () => {
  const dir = tempDir("orphan");
  dirs.push(dir);
  const store = new HistoryStore(dir, new Redactor());
  const lockFile = path.join(store.dir, "web.lock");
  const lock = store.lockName("web", "roll web", () => {});
  lock.recordChild({ pid: 4242, command: "terraform apply -auto-approve", started_at: "2026-01-01T00:00:01Z" });
  assert.deepEqual(JSON.parse(fs.readFileSync(lockFile, "utf8")).child, {
    pid: 4242,
    command: "terraform apply -auto-approve",
    started_at: "2026-01-01T00:00:01Z",
  });
  lock.recordChild(undefined);
  assert.equal(JSON.parse(fs.readFileSync(lockFile, "utf8")).child, undefined, "cleared when the tool ends");
  assert.equal(JSON.parse(fs.readFileSync(lockFile, "utf8")).pid, process.pid, "the holder is unchanged");
  assert.deepEqual(fs.readdirSync(store.dir), ["web.lock"], "no temporary file is left");
  lock.release();

  // A run that was killed outright: its PID is gone, the tool it started (in its own process group, as the runner starts tools) lives on.
  const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid;
  const orphan = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { detached: true, stdio: "ignore" });
  try {
    const child = { pid: orphan.pid!, command: "packer build web.pkr.hcl", started_at: "2026-01-01T00:00:02Z" };
    fs.writeFileSync(
      lockFile,
      JSON.stringify({ pid: dead, hostname: os.hostname(), started_at: "2026-01-01T00:00:00Z", command: "roll web", child }),
    );
    assert.throws(
      () => store.lockName("web", "roll web", () => {}),
      (e: unknown) =>
        e instanceof OrphanedToolError &&
        e instanceof LockHeldError &&
        e.message.includes(
          `(process ${dead}, roll web, started 2026-01-01T00:00:00Z) is gone, but a command it started is still running as process ${orphan.pid} (started 2026-01-01T00:00:02Z): packer build web.pkr.hcl`,
        ) &&
        e.message.includes(`kill -TERM -${orphan.pid}`),
    );
    assert.ok(fs.existsSync(lockFile), "the lock stays while the tool runs");
  } finally {
    process.kill(-orphan.pid!, "SIGKILL");
  }
  await new Promise((r) => orphan.once("exit", r));
  // Once the tool is gone too, the lock is stale like any other.
  const messages: string[] = [];
  store.lockName("web", "roll web", (l) => messages.push(l)).release();
  assert.match(messages.join("\n"), new RegExp(`removed a stale lock .*process ${dead} \\(roll web`));
});

test("prune: an image that two records share is kept while a kept record uses it", () => {
  let h = rolled(3);
  // #1 names the image #3 (live) runs, as two records of one image would.
  h = { generations: h.generations.map((g) => (g.number === 1 ? { ...g, image: "/img/3" } : g)) };
  assert.deepEqual(
    pruneCandidates(h, "web", 1).map((g) => g.number),
    [2, 1],
    "#1 is still a candidate: its record can go",
  );
  assert.deepEqual(
    sharingImage(h, h.generations[0]).map((g) => `${g.number}:${g.status}`),
    ["3:live"],
    "but its image is #3's",
  );
  assert.deepEqual(sharingImage(markPruned(h, "web", 2), h.generations[1]), []);
});

test("validateHistory checks each image against its builder, so an edited history cannot name any file or option", () => {
  const record = (over: Record<string, unknown>) => ({ generations: [{ ...baked("/img/1"), number: 1, status: "previous", ...over }] });
  assert.deepEqual(validateHistory(record({})), []);
  assert.match(
    validateHistory(record({ image: "../infra/terraform.tfstate" })).join(";"),
    /is not valid: expected an absolute, normalised file path/,
  );
  assert.match(
    validateHistory(record({ image: "/work/images/../infra/terraform.tfstate" })).join(";"),
    /is not valid: expected an absolute, normalised file path/,
  );
  assert.match(validateHistory(record({ builder: "qemu" })).join(";"), /builder "qemu" is not one the roll records/);
  assert.match(
    validateHistory(record({ builder: "amazon-ebs", image: "--profile=evil" })).join(";"),
    /image "--profile=evil" is not valid: expected an AMI id/,
  );
  assert.match(
    validateHistory(record({ builder: "amazon-ebs", image: "ami-0123456789abcdef0", regions: { "eu-west-1": "; rm -rf /" } })).join(";"),
    /regions\.eu-west-1/,
  );
  assert.match(validateHistory(record({ file_identity: { ino: 5 } })).join(";"), /file_identity/);
  assert.match(validateHistory(record({ name: "-web" })).join(";"), /not a valid generation name/);
});

test("recovery: history says what is deployed at each step, and rollback goes to the last verified generation", () => {
  const verified = (h: History, n: number, at: string) => markVerified(markPromoted(h, "web", n), "web", n, { at });
  let h: History = { generations: [] };
  for (let i = 1; i <= 2; i++) h = verified(recordBaked(h, baked(`/img/${i}`)).history, i, `2026-01-0${i}T00:00:00.000Z`);
  // A roll of #3 is killed after the promotion was recorded (during its apply or its verify).
  const killed = markPromoted(recordBaked(h, baked("/img/3")).history, "web", 3);
  assert.deepEqual(
    killed.generations.map((g) => `${g.number}:${g.status}`),
    ["1:previous", "2:previous", "3:promoted"],
  );
  assert.equal(killed.generations[2].replaces, 2);
  assert.equal(deployedOf(killed, "web")?.number, 3);
  assert.equal(lastVerified(killed, "web")?.number, 2, "not #1, which was verified earlier");
  assert.equal(rollbackTarget(killed, "web").number, 2);
  assert.equal(rollbackTarget(killed, "web", 3).number, 3, "--to the deployed generation verifies it");
  assert.equal(rollbackTarget(killed, "web", 2).number, 2, "--to the last verified one is not refused as live");
  // The next promotion replaces the unverified one: it is failed, never previous.
  const next = markPromoted(recordBaked(killed, baked("/img/4")).history, "web", 4);
  assert.deepEqual(
    next.generations.map((g) => `${g.number}:${g.status}`),
    ["1:previous", "2:previous", "3:failed", "4:promoted"],
  );
  assert.match(next.generations[2].note ?? "", /never verified; replaced by #4/);
  assert.deepEqual(validateHistory(next), []);
  assert.match(
    validateHistory({
      generations: [...next.generations.slice(0, 3), { ...next.generations[1], number: 9, status: "live" }, next.generations[3]],
    }).join(";"),
    /2 deployed \(live or promoted\) generations/,
  );
  // Verified with isolation: the generation it replaced keeps its machines, listed.
  const isolated = markVerified(markPromoted(recordBaked(h, baked("/img/3")).history, "web", 3), "web", 3, {
    at: "2026-01-03T00:00:00.000Z",
    retired: "isolated",
    machines: ["terraform_data.server (id x)"],
  });
  assert.deepEqual(
    isolated.generations.map((g) => `${g.number}:${g.status}`),
    ["1:previous", "2:isolated", "3:live"],
  );
  assert.deepEqual(isolated.generations[1].isolated_machines, ["terraform_data.server (id x)"]);
});

test("lock: a lock whose PID now belongs to a process started after the lock (PID reused) is stale, not held forever", () => {
  const dir = tempDir("reused");
  dirs.push(dir);
  const store = new HistoryStore(dir, new Redactor());
  fs.mkdirSync(store.dir, { recursive: true });
  const other = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  try {
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    fs.writeFileSync(
      path.join(store.dir, "web.lock"),
      JSON.stringify({ pid: other.pid, hostname: os.hostname(), started_at: anHourAgo, command: "roll web" }),
    );
    const messages: string[] = [];
    const lock = store.lockName("web", "roll web", (l) => messages.push(l));
    assert.match(
      messages.join("\n"),
      new RegExp(
        `removed a stale lock .*process ${other.pid} \\(roll web, started ${anHourAgo.replace(/[.]/g, "\\.")}\\) is no longer running \\(PID ${other.pid} now belongs to a process started at `,
      ),
    );
    lock.release();
  } finally {
    other.kill("SIGKILL");
  }
});

test("lock: the lock records its holder's boot and start time; a live process with the same PID but another start is not the holder", () => {
  const dir = tempDir("identity");
  dirs.push(dir);
  const store = new HistoryStore(dir, new Redactor());
  const held = store.lockName("web", "roll web", () => {});
  const recorded = JSON.parse(fs.readFileSync(path.join(store.dir, "web.lock"), "utf8"));
  held.release();
  assert.match(recorded.process?.start_ticks ?? "", /^[0-9]+$/, "Linux /proc gives the start time");
  assert.match(recorded.process?.boot_id ?? "", /^[0-9a-f-]{36}$/);
  const other = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  try {
    // The same PID, recorded with a start time that is not this process's: the PID was reused.
    fs.writeFileSync(
      path.join(store.dir, "web.lock"),
      JSON.stringify({
        pid: other.pid,
        process: { boot_id: recorded.process.boot_id, start_ticks: "1" },
        hostname: os.hostname(),
        started_at: new Date().toISOString(),
        command: "roll web",
      }),
    );
    const messages: string[] = [];
    store.lockName("web", "roll web", (l) => messages.push(l)).release();
    assert.match(
      messages.join("\n"),
      new RegExp(
        `process ${other.pid} \\(roll web, [^)]+\\) is no longer running \\(PID ${other.pid} now belongs to a process started at `,
      ),
    );
  } finally {
    other.kill("SIGKILL");
  }
});
