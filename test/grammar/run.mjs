// Grammar and snippet suite: runs every `cases/*` scope test against syntaxes/hcl.tmLanguage.json
// with vscode-tmgrammar-test, checks that the cases are real HCL, checks the grammar's structure and
// the language configuration, then checks that every snippet expands to valid HCL that immutably's
// own linter (dist/cli.js, built by the stage before) has nothing to say about.
//
// The runner calls vscode-tmgrammar-test's own parser and matcher in-process rather than its CLI,
// because the CLI reports neither how many assertions it checked nor files that assert nothing,
// and this suite must refuse both a silent file and a harness that cannot fail.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { checkSnippets } from "./snippets.mjs";
import { checkGrammarStructure, checkLanguageConfiguration } from "./static-checks.mjs";

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, "../..");
const grammarPath = path.join(root, "syntaxes/hcl.tmLanguage.json");
const configurationPath = path.join(root, "syntaxes/hcl.language-configuration.json");
const casesDir = path.join(import.meta.dirname, "cases");
const { createRegistry } = require("vscode-tmgrammar-test/dist/common/index.js");
const { parseGrammarTestCase, runGrammarTestCase } = require("vscode-tmgrammar-test/dist/unit/index.js");

/** A case file that carries this line among its first three is allowed to be HCL that Terraform rejects. */
const INVALID_HCL_MARKER = "# grammar-test: invalid-hcl";

let passed = 0;
let failed = 0;
const fail = (where, message) => {
  failed++;
  console.log(`  FAIL ${where}: ${message}`);
};

/**
 * Refuses assertion lines that vscode-tmgrammar-test 0.1.3 would either misread or hang on:
 * its assertion regex backtracks catastrophically when a line has more than one ` - ` separator
 * (the form is `^^^ required scopes - excluded scopes`), so such a line would stall the suite.
 */
function findMalformedAssertions(text) {
  const problems = [];
  text.split("\n").forEach((line, i) => {
    if (/^#\s*(\^|<~*-)/.test(line) && (line.match(/\s-\s/g) ?? []).length > 1) {
      problems.push(`line ${i + 1} has more than one " - "; list every excluded scope after a single " - "`);
    }
  });
  return problems;
}

/** Renders a failure the way a grammar author needs it: the source line, the columns, the scopes. */
function describeFailure(testCase, failure) {
  const source = testCase.source[failure.srcLine] ?? "";
  const text = JSON.stringify(source.slice(failure.start, failure.end));
  const parts = [`token ${text} at columns ${failure.start}-${failure.end}`];
  if (failure.missing.length) parts.push(`missing [${failure.missing.join(" ")}]`);
  if (failure.unexpected.length) parts.push(`unexpected [${failure.unexpected.join(" ")}]`);
  parts.push(`actual [${failure.actual.join(" ")}]`);
  return parts.join("; ");
}

const registry = createRegistry([{ path: grammarPath, scopeName: "" }]);

// The harness must be able to fail: a deliberately wrong assertion has to produce a failure,
// otherwise every green result below would be meaningless.
{
  const wrong = parseGrammarTestCase('# SYNTAX TEST "source.hcl" "self-check"\nx = 1\n#   ^ constant.language.boolean.hcl\n');
  const failures = await runGrammarTestCase(registry, wrong);
  if (failures.length === 1) passed++;
  else fail("harness self-check", `a wrong assertion produced ${failures.length} failures instead of 1`);
}

console.log("grammar cases (test/grammar/cases):");
const caseFiles = fs.readdirSync(casesDir).filter((name) => !name.startsWith(".")).sort();
if (caseFiles.length === 0) fail("cases", "no grammar test files found");
let grammarAssertions = 0;
/** Case files to parse as HCL once tokenising is done (see the HCL section below for why later). */
const mustParse = [];
for (const name of caseFiles) {
  const text = fs.readFileSync(path.join(casesDir, name), "utf8");
  const malformed = findMalformedAssertions(text);
  if (malformed.length) {
    malformed.forEach((problem) => fail(name, problem));
    continue;
  }
  let testCase;
  try {
    testCase = parseGrammarTestCase(text);
  } catch (error) {
    fail(name, `cannot read the test file: ${error.message}`);
    continue;
  }
  if (testCase.metadata.scope !== "source.hcl") {
    fail(name, `tests scope "${testCase.metadata.scope}", expected "source.hcl"`);
    continue;
  }
  const assertionCount = testCase.assertions.reduce((sum, line) => sum + line.scopeAssertions.length, 0);
  if (assertionCount === 0) {
    fail(name, "asserts nothing; a grammar test needs at least one ^ or <- assertion");
    continue;
  }

  if (!text.split("\n").slice(0, 3).some((line) => line.startsWith(INVALID_HCL_MARKER))) mustParse.push([name, text]);

  // vscode-tmgrammar-test reports failures per token, not per assertion. When a file fails, each of
  // its assertions is re-run on its own so that a failure is counted, and reported, once per assertion.
  let failedHere = 0;
  const report = [];
  const fileFailures = await runGrammarTestCase(registry, testCase);
  for (const line of fileFailures.length ? testCase.assertions : []) {
    for (const assertion of line.scopeAssertions) {
      const single = { ...testCase, assertions: [{ ...line, scopeAssertions: [assertion] }] };
      const failures = await runGrammarTestCase(registry, single);
      if (failures.length === 0) continue;
      failedHere++;
      const wanted = `${assertion.scopes.join(" ")}${assertion.exclude.length ? ` - ${assertion.exclude.join(" ")}` : ""}`;
      report.push(`       assertion under line ${line.testCaseLineNumber + 1} expects "${wanted}" on columns ${assertion.from}-${assertion.to}:`);
      for (const failure of failures) report.push(`         ${describeFailure(testCase, failure)}`);
    }
  }
  grammarAssertions += assertionCount;
  passed += assertionCount - failedHere;
  failed += failedHere;
  console.log(`  ${failedHere ? "FAIL" : "ok  "} ${name} (${assertionCount} assertions${failedHere ? `, ${failedHere} failing` : ""})`);
  for (const entry of report) console.log(entry);
}

// HashiCorp's parser is Go compiled to WebAssembly; once loaded, its runtime slows every later
// tokenisation in this process several-fold, so it is loaded only after the grammar cases have run.
// V8 would also spend seconds optimising that large module in the background and hold up the exit
// until it finishes; the baseline compiler alone parses these few small files just as well.
v8.setFlagsFromString("--liftoff-only");
const { parse: parseHcl } = require("@cdktf/hcl2json");

// A test case should show real Terraform or Packer syntax, so it must parse unless it opts out.
console.log("grammar cases are valid HCL:");
let parsedCases = 0;
for (const [name, text] of mustParse) {
  try {
    await parseHcl(name, text);
    parsedCases++;
    passed++;
  } catch (error) {
    fail(name, `is not valid HCL (${String(error.message ?? error).trim()}); fix it or mark it with "${INVALID_HCL_MARKER}"`);
  }
}
console.log(`  ${parsedCases} of ${mustParse.length} files parse (${caseFiles.length - mustParse.length} marked "${INVALID_HCL_MARKER}" or already failed above)`);

console.log("grammar structure and language configuration:");
const staticResults = [
  ...checkGrammarStructure(JSON.parse(fs.readFileSync(grammarPath, "utf8"))),
  ...checkLanguageConfiguration(JSON.parse(fs.readFileSync(configurationPath, "utf8"))),
];
for (const [label, ok, why] of staticResults) {
  if (ok) passed++;
  else fail(label, why);
}
console.log(`  ${staticResults.filter(([, ok]) => ok).length} of ${staticResults.length} checks hold`);

console.log("snippets (snippets/*.json):");
const snippetResult = await checkSnippets(path.join(root, "snippets"), parseHcl, path.join(root, "dist/cli.js"));
for (const line of snippetResult.log) console.log(line);
passed += snippetResult.passed;
failed += snippetResult.failed;

console.log(
  `\n${caseFiles.length} grammar files with ${grammarAssertions} scope assertions, ${mustParse.length} HCL validity checks, ` +
    `${staticResults.length} structure and configuration checks, ` +
    `${snippetResult.passed + snippetResult.failed} snippet checks, 1 harness self-check`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
