// Checks on the grammar and language-configuration files themselves: every rule reachable and
// every include resolvable, every regex compilable, and the editor's indentation rules doing what
// they should on typical Terraform lines.

/** Collects `#name` includes from a grammar rule tree, wherever they sit (patterns, captures). */
function collectIncludes(node, out) {
  if (Array.isArray(node)) node.forEach((item) => collectIncludes(item, out));
  else if (node && typeof node === "object") {
    if (typeof node.include === "string") out.push(node.include);
    Object.values(node).forEach((value) => collectIncludes(value, out));
  }
  return out;
}

/**
 * A misspelt include silently drops a rule in VS Code, and an unreferenced repository entry is dead
 * code that tests cannot reach, so both count as failures here.
 */
export function checkGrammarStructure(grammar) {
  const results = [];
  const repository = grammar.repository ?? {};
  const includes = collectIncludes({ patterns: grammar.patterns, repository }, []);
  const local = includes.filter((name) => name.startsWith("#")).map((name) => name.slice(1));
  const unknown = [...new Set(local.filter((name) => !(name in repository)))];
  results.push(["every #include names a repository rule", unknown.length === 0, `unknown: ${unknown.join(", ")}`]);
  const foreign = includes.filter((name) => !name.startsWith("#") && name !== "$self" && name !== "$base");
  results.push(["the grammar includes no other grammar", foreign.length === 0, `includes ${foreign.join(", ")}`]);
  const unused = Object.keys(repository).filter((name) => !local.includes(name));
  results.push(["every repository rule is used", unused.length === 0, `unused: ${unused.join(", ")}`]);
  results.push(["scopeName is source.hcl", grammar.scopeName === "source.hcl", `scopeName is ${grammar.scopeName}`]);
  return results;
}

/** Language configuration regexes are JavaScript regexes compiled by VS Code; bad ones are ignored silently. */
export function checkLanguageConfiguration(config) {
  const results = [];
  results.push(["line comment is #", config.comments?.lineComment === "#", "Terraform style prefers # for line comments"]);
  results.push(["block comment is /* */", JSON.stringify(config.comments?.blockComment) === '["/*","*/"]', "blockComment must be /* */"]);

  const bracketOpens = new Set((config.brackets ?? []).map(([open]) => open));
  const autoOpens = new Set((config.autoClosingPairs ?? []).map((pair) => pair.open));
  const missing = [...bracketOpens].filter((open) => !autoOpens.has(open));
  results.push(["every bracket auto-closes", bracketOpens.size === 3 && missing.length === 0, `brackets ${[...bracketOpens].join(" ")}; not auto-closed: ${missing.join(" ")}`]);

  let increase;
  let decrease;
  let folding;
  try {
    increase = new RegExp(config.indentationRules.increaseIndentPattern);
    decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
    folding = [new RegExp(config.folding.markers.start), new RegExp(config.folding.markers.end)];
    new RegExp(config.wordPattern);
    results.push(["configuration regexes compile", true]);
  } catch (error) {
    results.push(["configuration regexes compile", false, error.message]);
    return results;
  }

  // Each line with whether the next line should be indented (increase) or this one outdented (decrease).
  const indentationCases = [
    ['resource "aws_instance" "web" {', true, false],
    ["  tags = {", true, false],
    ["  vpc_security_group_ids = [", true, false],
    ["  user_data = templatefile(", true, false],
    ["  tags = {}", false, false],
    ["  ports = [80, 443]", false, false],
    ["  # a comment that ends with {", false, false],
    ["}", false, true],
    ["  ]", false, true],
    ["  })", false, true],
  ];
  for (const [line, shouldIncrease, shouldDecrease] of indentationCases) {
    const ok = increase.test(line) === shouldIncrease && decrease.test(line) === shouldDecrease;
    results.push([`indentation of ${JSON.stringify(line)}`, ok, `expected increase=${shouldIncrease} decrease=${shouldDecrease}`]);
  }
  const wordPattern = new RegExp(config.wordPattern, "g");
  const words = "aws_autoscaling_group.my-asg.id".match(wordPattern);
  results.push(["a dashed HCL identifier is one word", JSON.stringify(words) === '["aws_autoscaling_group","my-asg","id"]', `words: ${JSON.stringify(words)}`]);
  results.push(["#region folds", folding[0].test("# region networking") && folding[1].test("# endregion"), "region markers do not match"]);
  return results;
}
