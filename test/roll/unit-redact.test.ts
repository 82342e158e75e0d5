// Pure unit tests for secret redaction: AWS key ids, secret keys, session tokens, secret-looking -var values, known values.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { looksSecretName, REDACTED, redactDeep, Redactor, shellQuote } from "../../server/src/roll/redact.ts";

// Shapes only: these are AWS's documented example credentials, not real ones.
const KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const TEMP_KEY_ID = "ASIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN = `IQoJb3JpZ2luX2VjEHYaCXVzLWVhc3QtMSJHMEUCIQD${"A".repeat(120)}`;

test("AWS access key ids (long-term and temporary) are redacted anywhere in a line", () => {
  const r = new Redactor();
  assert.equal(r.redact(`key=${KEY_ID} other ${TEMP_KEY_ID}.`), `key=${REDACTED} other ${REDACTED}.`);
});

test("secret access keys are redacted next to their names and as a standalone shape", () => {
  const r = new Redactor();
  assert.equal(r.redact(`aws_secret_access_key = ${SECRET}`), `aws_secret_access_key = ${REDACTED}`);
  assert.equal(r.redact(`"SecretAccessKey": "${SECRET}"`), `"SecretAccessKey": "${REDACTED}"`);
  assert.equal(r.redact(`found ${SECRET} here`), `found ${REDACTED} here`);
});

test("session tokens are redacted by name and by their STS prefix", () => {
  const r = new Redactor();
  assert.equal(r.redact(`AWS_SESSION_TOKEN=${TOKEN}`), `AWS_SESSION_TOKEN=${REDACTED}`);
  assert.equal(r.redact(`token ${TOKEN} end`), `token ${REDACTED} end`);
});

test("a git SHA and an ordinary path are left alone", () => {
  const r = new Redactor();
  const sha = "0123456789abcdef0123456789abcdef01234567";
  assert.equal(r.redact(`commit ${sha}`), `commit ${sha}`);
  assert.equal(r.redact("/tmp/immutably-roll-x/images/out/demo-1.img"), "/tmp/immutably-roll-x/images/out/demo-1.img");
});

test("values from the environment and registered secrets are redacted wherever they appear", () => {
  const r = new Redactor();
  r.addSecretsFromEnv({ AWS_SECRET_ACCESS_KEY: "plainsecretvalue", PKR_VAR_db_password: "hunter22", PATH: "/usr/bin" });
  r.addSecret("s3cr3t-v@lue");
  assert.equal(r.redact("a plainsecretvalue b hunter22 c s3cr3t-v@lue /usr/bin"), `a ${REDACTED} b ${REDACTED} c ${REDACTED} /usr/bin`);
});

test("-var values whose names look secret are redacted in a displayed command; others are kept", () => {
  const r = new Redactor();
  const shown = r.renderCommand("packer", [
    "build",
    "-var",
    "db_password=hunter2",
    "-var",
    "api_token=abc",
    "-var",
    "region=eu-west-1",
    "-var",
    "ssh_key=k",
  ]);
  assert.equal(
    shown,
    `packer build -var 'db_password=${REDACTED}' -var 'api_token=${REDACTED}' -var region=eu-west-1 -var 'ssh_key=${REDACTED}'`,
  );
});

test("secret-looking names", () => {
  for (const name of ["password", "db_password", "client_secret", "api_token", "ssh_key", "api_key", "private_key", "credentials"])
    assert.ok(looksSecretName(name), name);
  for (const name of ["region", "instance_type", "label", "keep"]) assert.ok(!looksSecretName(name), name);
});

test("display quoting makes each argument readable without a shell", () => {
  assert.equal(shellQuote("plain-arg_1.2"), "plain-arg_1.2");
  assert.equal(shellQuote("a b"), "'a b'");
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(shellQuote(""), "''");
  assert.equal(shellQuote("a\nb; touch x"), "$'a\\nb; touch x'");
});

test("redactDeep redacts every string of a record but keeps long paths intact", () => {
  const r = new Redactor();
  const path40 = "/tmp/abcDEF123/ghiJKL456/mnoPQR789/stuVW";
  const out = redactDeep({ note: `failed: ${KEY_ID}`, image: path40, n: 1 }, r);
  assert.deepEqual(out, { note: `failed: ${REDACTED}`, image: path40, n: 1 });
});

test("URL credentials and secret-looking query parameters are redacted; the rest of the URL stays readable", () => {
  const r = new Redactor();
  assert.equal(
    r.redact("GET https://deploy:s3cret-pw@web.example.com/healthz?token=abc123&region=eu&sig=zz9&X-Amz-Signature=f00d until 2xx"),
    `GET https://${REDACTED}@web.example.com/healthz?token=${REDACTED}&region=eu&sig=${REDACTED}&X-Amz-Signature=${REDACTED} until 2xx`,
  );
  assert.equal(
    r.redact("see http://user@host.example/x and http://host.example/?api_key=k123"),
    `see http://${REDACTED}@host.example/x and http://host.example/?api_key=${REDACTED}`,
  );
  assert.equal(r.redact("https://host.example/a?page=2&q=x"), "https://host.example/a?page=2&q=x");
});

test("every environment variable whose name looks secret is redacted, whatever its case style", () => {
  const env: Record<string, string> = {
    GITHUB_TOKEN: "gh-value-0001",
    TF_TOKEN_app_terraform_io: "tfc-value-0002",
    VAULT_TOKEN: "vault-value-0003",
    HCP_CLIENT_SECRET: "hcp-value-0004",
    CLOUDFLARE_API_TOKEN: "cf-value-0005",
    sshKey: "ssh-value-0006",
    dbPassword: "db-value-0007",
    "my-api-key": "api-value-0008",
    NpmAuthToken: "npm-value-0009",
    PATH: "/usr/local/bin:/usr/bin",
    HOME: "/home/runner",
    MONKEY_BUSINESS: "harmless-value",
  };
  const r = new Redactor();
  r.addSecretsFromEnv(env);
  const line = Object.values(env).join(" ");
  const out = r.redact(line);
  for (const [name, value] of Object.entries(env)) {
    if (["PATH", "HOME", "MONKEY_BUSINESS"].includes(name)) assert.ok(out.includes(value), `${name} is not a secret`);
    else assert.ok(!out.includes(value), `${name} leaked`);
  }
  for (const name of ["sshKey", "dbPassword", "apiKey", "clientSecret", "TF_TOKEN_x", "my-api-key", "PrivateKeyPem"])
    assert.ok(looksSecretName(name), name);
  for (const name of ["keyboard_layout", "MONKEY", "passenger_count", "KEEP", "author"]) assert.ok(!looksSecretName(name), name);
});

test("known token shapes are redacted without knowing the value", () => {
  const r = new Redactor();
  const tokens = [
    `ghp_${"a1B2".repeat(9)}`,
    `gho_${"Z9y8".repeat(9)}`,
    `github_pat_11ABCDEFG0${"x".repeat(12)}_${"Y".repeat(59)}`,
    `glpat-${"AbC12".repeat(4)}`,
    "xoxb-1234567890-1234567890-AbCdEfGhIjKl",
    "xoxp-1234567890-abcdefghij",
    "AKIAIOSFODNN7EXAMPLE",
    `hvs.${"CAESI".repeat(6)}`,
    `npm_${"a1b2c3".repeat(6)}`,
    `dop_v1_${"0f".repeat(32)}`,
    `AIza${"S".repeat(35)}`,
  ];
  for (const token of tokens) assert.equal(r.redact(`value: ${token} end`), `value: ${REDACTED} end`, token);
  assert.equal(r.redact("Authorization: Bearer eyJhbGciOi.payload.sig"), `Authorization: Bearer ${REDACTED}`);
});

test("a displayed command line is quoted so that pasting it into a shell runs exactly that argv and nothing else", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-quote-"));
  try {
    const hostile = [
      "a\nb; touch pwned-1",
      "x\n$(touch pwned-2)",
      "`touch pwned-3`",
      "it's",
      "=ls",
      "~root",
      "a\rb",
      "tab\there",
      "*",
      "!x",
      "#c",
      "{a,b}",
      "a\\b",
      "-var",
      "k=v",
      "%1",
      "",
      "ünï",
      "\u0007bell",
      "$HOME",
      "a'\n'b",
    ];
    const line = new Redactor().renderCommand("printf", ["%s\\0", ...hostile]);
    assert.ok(!line.includes("\n") && !line.includes("\r"), "one line");
    for (const shell of ["bash", "sh"]) {
      if (shell === "sh" && /\$'/.test(line)) continue; // POSIX sh has no $'...' quoting; the control characters need bash, zsh or ksh.
      const r = spawnSync(shell, ["-c", line], { cwd: dir, encoding: "utf8", env: { HOME: "/nonexistent-home", PATH: process.env.PATH } });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.stdout.split("\0").slice(0, -1), hostile, shell);
    }
    assert.deepEqual(fs.readdirSync(dir), [], "nothing injected ran");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
