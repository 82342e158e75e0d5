// Argument injection and secrets: hostile values reach packer, terraform, the cloud CLIs and verify as single argv elements or are refused, and secret values never reach the log, the summary, the dry run or history.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { Writable } from "node:stream";
import { runRollCommand } from "../../server/src/cli/roll-commands.ts";
import { roll } from "../../server/src/roll/pipeline.ts";
import { resolveToolPaths } from "../../server/src/roll/tools.ts";
import { argvFolder, configFrom, packerPrinting, recorded, RecordingHost, standIn, terraformGeneration, writeHistory } from "./helpers.ts";

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const setup = (prefix: string) => argvFolder(prefix, dirs);

const HOSTILE = ["a b", `it's "quoted"`, "x; touch pwned", "$(touch pwned)", "`touch pwned`", "line1\nline2", "-rf", "--help"];

test("injection: hostile packer variable values and template paths reach packer verbatim, one argv element each", async () => {
  const { dir, log } = setup("inject-packer");
  const weird = path.join(dir, "images", `-x ; $(touch pwned) 'q"`);
  fs.mkdirSync(weird);
  fs.writeFileSync(path.join(weird, "web.pkr.hcl"), "");
  fs.mkdirSync(path.join(dir, "infra"));
  const vars = HOSTILE.map((v, i) => `    v${i} = ${JSON.stringify(v)}`).join("\n");
  const generation = await configFrom(
    dir,
    `generation "web" {
  packer_template = ${JSON.stringify(path.relative(dir, path.join(weird, "web.pkr.hcl")))}
  packer_vars = {
${vars}
  }
  terraform_dir  = "infra"
  image_variable = "image"
}`,
    "web",
  );
  const packer = packerPrinting(dir, log, "packer.file", "File", ["out/i.img"]);
  const terraform = standIn(dir, "terraform", log, { "show -json": JSON.stringify({ resource_changes: [] }) });
  const outcome = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, terraform }, {}), env: {} });
  assert.equal(outcome.exitCode, 0);
  const build = recorded(log).find((c) => c.tool === "packer");
  assert.ok(build);
  assert.deepEqual(build.argv, [
    "build",
    "-machine-readable",
    "-color=false",
    ...HOSTILE.flatMap((v, i) => ["-var", `v${i}=${v}`]),
    "--",
    path.join(weird, "web.pkr.hcl"),
  ]);
  assert.ok(!fs.existsSync(path.join(dir, "pwned")) && !fs.existsSync(path.join(weird, "pwned")), "no shell ran");
});

test("injection: a hostile image never reaches terraform's argv; it goes only into the tfvars JSON", async () => {
  const { dir, log } = setup("inject-tf");
  fs.mkdirSync(path.join(dir, "infra"));
  fs.writeFileSync(path.join(dir, "infra/immutably.auto.tfvars.json"), JSON.stringify({ other: "kept" }));
  const generation = await terraformGeneration(dir);
  const file = "out/-rf ; $(touch pwned)\nx.img";
  const packer = packerPrinting(dir, log, "packer.file", "File", [file.replace(/\n/g, "\\n")]);
  const terraform = standIn(dir, "terraform", log, { "show -json": JSON.stringify({ resource_changes: [] }) });
  const outcome = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, terraform }, {}), env: {} });
  assert.equal(outcome.exitCode, 0);
  const image = path.join(dir, "images", file);
  assert.equal(outcome.generations[0].image, image);
  for (const call of recorded(log).filter((c) => c.tool === "terraform"))
    assert.ok(!call.argv.some((a) => a.includes("pwned")), call.argv.join(" "));
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "infra/immutably.auto.tfvars.json"), "utf8")), { other: "kept", image });
});

test("injection: hostile resource addresses from a plan are passed after -- to state rm; one starting with - is refused", async () => {
  const { dir, log } = setup("inject-addr");
  fs.mkdirSync(path.join(dir, "infra"));
  const generation = await terraformGeneration(dir, '  retire          = "isolate"\n');
  writeHistory(dir, [{ number: 1, image: "/old.img", artifact_id: "File", builder: "file", status: "live" }]);
  const address = `terraform_data.web["a b; $(touch pwned) -x"]`;
  const packer = packerPrinting(dir, log, "packer.file", "File", ["out/2.img"]);
  const terraform = standIn(dir, "terraform", log, {
    "show -json": JSON.stringify({ resource_changes: [{ address, change: { actions: ["create", "delete"] } }] }),
  });
  const outcome = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, terraform }, {}), env: {} });
  assert.equal(outcome.exitCode, 0, outcome.summary.join("\n"));
  assert.deepEqual(recorded(log).find((c) => c.argv[0] === "state")?.argv, ["state", "rm", "-no-color", "--", address]);
  assert.deepEqual(
    outcome.generations.map((g) => `${g.number}:${g.status}`),
    ["1:isolated", "2:live"],
  );

  const log2 = path.join(dir, "argv2.jsonl");
  const evil = standIn(dir, "terraform-evil", log2, {
    "show -json": JSON.stringify({ resource_changes: [{ address: "-lock=false", change: { actions: ["create", "delete"] } }] }),
  });
  const refused = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, terraform: evil }, {}), env: {} });
  assert.equal(refused.exitCode, 1);
  assert.match(refused.summary.join("\n"), /resource address "-lock=false" is not valid/);
  assert.ok(!recorded(log2).some((c) => c.argv[0] === "state" || c.argv[0] === "apply"), "nothing was removed from state or applied");
});

test("injection: a hostile image id from packer is refused before any cloud CLI sees it", async () => {
  const { dir, log } = setup("inject-gcp");
  const packer = packerPrinting(dir, log, "packer.googlecompute", "--impersonate-service-account=evil");
  const gcloud = standIn(dir, "gcloud", log, {
    "compute instance-groups managed describe": JSON.stringify({ instanceTemplate: "t/web-tmpl-1" }),
    "compute instance-groups managed list-instances": "[]",
  });
  const generation = await configFrom(
    dir,
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  strategy = "gcp-mig"
  target   = "web-mig"
  cloud    = { project = "my-project-1", zone = "europe-west1-b" }
}`,
    "web",
  );
  const outcome = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, gcloud }, {}), env: {} });
  assert.equal(outcome.exitCode, 1);
  assert.match(outcome.summary.join("\n"), /image "--impersonate-service-account=evil" is not valid/);
  assert.deepEqual(
    recorded(log).filter((c) => c.tool === "gcloud"),
    [],
  );
});

test("injection: verify argv with hostile arguments reaches the program verbatim, run without a shell", async () => {
  const { dir, log } = setup("inject-verify");
  fs.mkdirSync(path.join(dir, "infra"));
  fs.mkdirSync(path.join(dir, "scripts"));
  standIn(path.join(dir, "scripts"), "smoke", log);
  const generation = await terraformGeneration(
    dir,
    `  verify {\n    command = ["./scripts/smoke", ${HOSTILE.map((h) => JSON.stringify(h)).join(", ")}]\n  }\n`,
  );
  const packer = packerPrinting(dir, log, "packer.file", "File", ["out/1.img"]);
  const terraform = standIn(dir, "terraform", path.join(dir, "tf.jsonl"), { "show -json": JSON.stringify({ resource_changes: [] }) });
  const outcome = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, terraform }, {}), env: {} });
  assert.equal(outcome.exitCode, 0, outcome.summary.join("\n"));
  assert.deepEqual(recorded(log).find((c) => c.tool === "smoke")?.argv, HOSTILE);
  assert.ok(!fs.existsSync(path.join(dir, "pwned")));
});

test("secrets: -var values with secret names never reach the log, the summary or history", async () => {
  const { dir, log } = setup("secrets");
  fs.mkdirSync(path.join(dir, "infra"));
  const generation = await configFrom(
    dir,
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  packer_vars     = { db_password = "hunter2-hunter2", api_token = "tok-0123456789", region = "eu-west-1" }
  terraform_dir   = "infra"
  image_variable  = "image"
}`,
    "web",
  );
  // A packer that fails while echoing its secret inputs, as a careless plugin might.
  const packer = path.join(dir, "packer");
  fs.writeFileSync(
    packer,
    `#!/bin/sh\necho "using $*" ; echo "error: auth failed for AKIAIOSFODNN7EXAMPLE with hunter2-hunter2" >&2; exit 1\n`,
    { mode: 0o755 },
  );
  const host = new RecordingHost();
  const outcome = await roll({
    generation,
    host,
    tools: resolveToolPaths({ packer, terraform: standIn(dir, "terraform", log) }, {}),
    env: {},
  });
  assert.equal(outcome.exitCode, 1);
  const everything = [
    host.text(),
    outcome.summary.join("\n"),
    fs.existsSync(path.join(dir, ".immutably/generations.json"))
      ? fs.readFileSync(path.join(dir, ".immutably/generations.json"), "utf8")
      : "",
  ].join("\n");
  for (const secret of ["hunter2-hunter2", "tok-0123456789", "AKIAIOSFODNN7EXAMPLE"]) assert.ok(!everything.includes(secret), secret);
  assert.match(host.text(), /\$ \S*packer build .*-var 'api_token=\[REDACTED\]' -var 'db_password=\[REDACTED\]' -var region=eu-west-1/);
  assert.match(outcome.summary.join("\n"), /auth failed for \[REDACTED\] with \[REDACTED\]/);
});

test("secrets: every secret-named environment variable, token shapes and URL credentials never reach the dry run, the log, the summary or history", async () => {
  const { dir, log } = setup("secrets-env");
  fs.mkdirSync(path.join(dir, "infra"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_TOKEN: "gh-env-value-0001",
    TF_TOKEN_app_terraform_io: "tfc-env-value-0002",
    VAULT_TOKEN: "vault-env-value-0003",
    HCP_CLIENT_SECRET: "hcp-env-value-0004",
    CLOUDFLARE_API_TOKEN: "cf-env-value-0005",
    sshKey: "ssh-env-value-0006",
  };
  const pat = `ghp_${"Z9y8".repeat(9)}`;
  fs.writeFileSync(
    path.join(dir, ".immutably.hcl"),
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "image"
  verify {
    http = "https://web.example.invalid/healthz?token=verify-query-secret&region=eu"
  }
}`,
  );
  const packer = packerPrinting(dir, log, "packer.file", "File", ["out/1.img"]);
  // A terraform that fails at plan, echoing its whole environment, a token and a URL with credentials, as a careless provider might.
  const terraform = path.join(dir, "terraform");
  fs.writeFileSync(
    terraform,
    `#!/bin/sh\nif [ "$1" = "plan" ]; then env >&2; echo "auth with ${pat} at https://deploy:url-password-0007@registry.example.invalid/v2?sig=url-sig-0008 failed" >&2; exit 1; fi\n`,
    { mode: 0o755 },
  );
  const run = async (args: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await runRollCommand("roll", ["web", ...args, "--packer", packer, "--terraform", terraform], {
      stdout: new Writable({ write: (c, _e, cb) => ((stdout += String(c)), cb()) }),
      stderr: new Writable({ write: (c, _e, cb) => ((stderr += String(c)), cb()) }),
      cwd: dir,
      isTTY: false,
      signal: new AbortController().signal,
      env,
    });
    return { code, text: stdout + stderr };
  };
  const dry = await run(["--dry-run"]);
  assert.equal(dry.code, 0, dry.text);
  assert.match(dry.text, /GET https:\/\/web\.example\.invalid\/healthz\?token=\[REDACTED\]&region=eu until it answers 2xx/);
  const real = await run(["--yes"]);
  assert.equal(real.code, 1);
  const history = fs.readFileSync(path.join(dir, ".immutably/generations.json"), "utf8");
  assert.match(history, /failed at plan/);
  const everything = [dry.text, real.text, history].join("\n");
  for (const secret of [
    ...Object.entries(env)
      .filter(([k]) => k !== "PATH")
      .map(([, v]) => v),
    pat,
    "url-password-0007",
    "url-sig-0008",
    "verify-query-secret",
  ])
    assert.ok(!everything.includes(secret), `${secret} leaked`);
  assert.match(real.text, /GITHUB_TOKEN=\[REDACTED\]/);
});
