// Pure unit tests for secret redaction: AWS key ids, secret keys, session tokens, secret-looking -var values, known values.
import assert from "node:assert/strict";
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
  const shown = r.renderCommand("packer", ["build", "-var", "db_password=hunter2", "-var", "api_token=abc", "-var", "region=eu-west-1", "-var", "ssh_key=k"]);
  assert.equal(shown, `packer build -var 'db_password=${REDACTED}' -var 'api_token=${REDACTED}' -var region=eu-west-1 -var 'ssh_key=${REDACTED}'`);
});

test("secret-looking names", () => {
  for (const name of ["password", "db_password", "client_secret", "api_token", "ssh_key", "api_key", "private_key", "credentials"]) assert.ok(looksSecretName(name), name);
  for (const name of ["region", "instance_type", "label", "keep"]) assert.ok(!looksSecretName(name), name);
});

test("display quoting makes each argument readable without a shell", () => {
  assert.equal(shellQuote("plain-arg_1.2"), "plain-arg_1.2");
  assert.equal(shellQuote("a b"), "'a b'");
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(shellQuote(""), "''");
});

test("redactDeep redacts every string of a record but keeps long paths intact", () => {
  const r = new Redactor();
  const path40 = "/tmp/abcDEF123/ghiJKL456/mnoPQR789/stuVW";
  const out = redactDeep({ note: `failed: ${KEY_ID}`, image: path40, n: 1 }, r);
  assert.deepEqual(out, { note: `failed: ${REDACTED}`, image: path40, n: 1 });
});
