// Test-only preload (node --require) that injects file-system faults into the CLI process, for the
// faults a test cannot arrange on disk: a file deleted between the walk and the read, a read that
// fails with EACCES or EIO although the file exists (as root, chmod 000 does not stop reads).
// IMMUTABLY_TEST_FS_FAULTS is a comma-separated list of "kind:basename" with kind vanish, EACCES
// or EIO. File faults fire when the file is opened or read; folder faults when it is listed.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const faults = new Map(
  (process.env.IMMUTABLY_TEST_FS_FAULTS || "")
    .split(",")
    .filter(Boolean)
    .map((entry) => {
      const i = entry.indexOf(":");
      return [entry.slice(i + 1), entry.slice(0, i)];
    }),
);

function fail(code, syscall, target) {
  const error = new Error(`${code}: injected fault, ${syscall} '${target}'`);
  error.code = code;
  error.syscall = syscall;
  error.path = target;
  return error;
}

/** Wraps an fs function so that a fault registered for the target's base name fires first. */
function wrap(name) {
  const original = fs[name];
  fs[name] = function (target, ...rest) {
    const kind = typeof target === "string" ? faults.get(path.basename(target)) : undefined;
    if (kind === "vanish") {
      fs.rmSync(target, { force: true });
    } else if (kind) {
      throw fail(kind, name, target);
    }
    return original.call(this, target, ...rest);
  };
}

for (const name of ["openSync", "readFileSync", "readdirSync"]) wrap(name);
