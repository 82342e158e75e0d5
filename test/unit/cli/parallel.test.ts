// Parallel linting gives exactly the serial result, and partitions keep each module's files together.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { defaultThreads, partitionByModule } from "../../../server/src/cli/parallel.ts";

const root = path.resolve(__dirname, "../../..");

describe("parallel lint", () => {
  it("uses one thread per core with tree-sitter and one per two cores with the own reader, from 1 to 8", () => {
    const cases: Array<[boolean, number, number]> = [
      [true, 1, 1],
      [true, 2, 2],
      [true, 16, 8],
      [false, 1, 1],
      [false, 2, 1],
      [false, 3, 1],
      [false, 4, 2],
      [false, 8, 4],
      [false, 32, 8],
    ];
    for (const [treeSitter, cores, threads] of cases)
      assert.equal(defaultThreads(treeSitter, cores), threads, `${treeSitter ? "tree-sitter" : "own reader"} on ${cores} cores`);
  });

  it("partitions whole modules, balanced by size", () => {
    const inputs = [
      { path: "/a/main.tf", text: "x".repeat(100) },
      { path: "/a/vars.tf", text: "x".repeat(100) },
      { path: "/b/main.tf", text: "x".repeat(150) },
      { path: "/c/main.tf", text: "x".repeat(50) },
    ];
    const groups = partitionByModule(inputs, 2);
    assert.deepEqual(
      groups.map((g) => g.map((i) => i.path)),
      [
        ["/a/main.tf", "/a/vars.tf"],
        ["/b/main.tf", "/c/main.tf"],
      ],
    );
  });

  it("4 threads and 1 thread report the same findings on a generated multi-module corpus", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-par-"));
    spawnSync(process.execPath, [path.join(root, "bench/gen-corpus.mjs"), dir, "0.5", "7"], { stdio: "ignore" });
    const lint = (threads: string) => {
      const r = spawnSync(process.execPath, [path.join(root, "dist/cli.js"), "lint", dir, "--format", "json", "--threads", threads], {
        encoding: "utf8",
        maxBuffer: 1 << 28,
      });
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      return JSON.parse(r.stdout).findings;
    };
    const serial = lint("1");
    const parallel = lint("4");
    assert.ok(serial.length > 100, `corpus gave only ${serial.length} findings`);
    assert.deepEqual(parallel, serial);
  });

  it("workers send fixes' edits when the output prints them (SARIF): 2 threads and 1 give the same SARIF", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-par-sarif-"));
    spawnSync(process.execPath, [path.join(root, "bench/gen-corpus.mjs"), dir, "0.3", "5"], { stdio: "ignore" });
    const lint = (threads: string) => {
      const r = spawnSync(process.execPath, [path.join(root, "dist/cli.js"), "lint", dir, "--format", "sarif", "--threads", threads], {
        encoding: "utf8",
        maxBuffer: 1 << 28,
      });
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      return (JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ fixes?: unknown[] }> }> }).runs[0].results;
    };
    const serial = lint("1");
    const parallel = lint("2");
    assert.ok(serial.filter((r) => r.fixes?.length).length > 20, "corpus gave too few fixes");
    assert.deepEqual(parallel, serial);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
