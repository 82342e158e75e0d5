// Terraform's built-in functions and operators over known values, for the ones configurations use around images and scripts.
import type { Value } from "./model.ts";

/** Functions that hand their only argument on unchanged as far as the rules care (sensitivity, type conversion). */
export const PASS_THROUGH_FUNCTIONS = new Set(["nonsensitive", "sensitive", "tostring", "one"]);

const isObject = (v: Value): v is { [key: string]: Value } => v !== null && typeof v === "object" && !Array.isArray(v);

/** Terraform converts the strings "true" and "false" where a bool is expected. */
export function asBool(v: Value): boolean | undefined {
  if (v === true || v === "true") return true;
  if (v === false || v === "false") return false;
  return undefined;
}

function asNumber(v: Value): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** A value as a template interpolates it: strings, numbers and bools only. */
export function asText(v: Value): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `a op b` and `op a` on known operands, as Terraform computes them; undefined when the types do not fit. */
export function evaluateOperator(operator: string, operands: Value[]): Value | undefined {
  if (operands.length === 1) {
    const [a] = operands;
    if (operator === "!") {
      const b = asBool(a);
      return b === undefined ? undefined : !b;
    }
    if (operator === "-") {
      const n = asNumber(a);
      return n === undefined ? undefined : -n;
    }
    return undefined;
  }
  const [a, b] = operands;
  switch (operator) {
    case "==":
      return sameValue(a, b);
    case "!=":
      return !sameValue(a, b);
    case "&&":
    case "||": {
      const x = asBool(a);
      const y = asBool(b);
      if (x === undefined || y === undefined) return undefined;
      return operator === "&&" ? x && y : x || y;
    }
  }
  const x = asNumber(a);
  const y = asNumber(b);
  if (x === undefined || y === undefined) return undefined;
  switch (operator) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      return y === 0 ? undefined : x / y;
    case "%":
      return y === 0 ? undefined : x % y;
    case "<":
      return x < y;
    case ">":
      return x > y;
    case "<=":
      return x <= y;
    case ">=":
      return x >= y;
    default:
      return undefined;
  }
}

/** `format()` with the verbs configurations use (`%s`, `%d`, `%v`, `%q`, `%%`); undefined for anything fancier. */
function format(spec: string, args: Value[]): string | undefined {
  let out = "";
  let next = 0;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c !== "%") {
      out += c;
      continue;
    }
    const verb = spec[++i];
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (next >= args.length) return undefined;
    const arg = args[next++];
    if (verb === "s" || verb === "v") {
      const text = asText(arg);
      if (text === undefined) return undefined;
      out += text;
    } else if (verb === "d") {
      const n = asNumber(arg);
      if (n === undefined || !Number.isInteger(n)) return undefined;
      out += String(n);
    } else if (verb === "q") {
      const text = asText(arg);
      if (text === undefined) return undefined;
      out += JSON.stringify(text);
    } else return undefined;
  }
  return out;
}

/** A built-in function on known arguments; undefined for functions not modelled or arguments that do not fit. */
export function evaluateFunction(name: string, args: Value[]): Value | undefined {
  const [a, b, c] = args;
  switch (name) {
    case "nonsensitive":
    case "sensitive":
      return args.length === 1 ? a : undefined;
    case "tostring":
      return asText(a) ?? (a === null ? null : undefined);
    case "tonumber":
      return a === null ? null : asNumber(a);
    case "tobool":
      return a === null ? null : asBool(a);
    case "tolist":
    case "toset":
      return Array.isArray(a) ? a : undefined;
    case "tomap":
      return isObject(a) ? a : undefined;
    case "one":
      return Array.isArray(a) ? (a.length === 0 ? null : a.length === 1 ? a[0] : undefined) : undefined;
    case "format":
      return typeof a === "string" ? format(a, args.slice(1)) : undefined;
    case "join": {
      const parts = Array.isArray(b) ? args.slice(1).flatMap((l) => (Array.isArray(l) ? l : [null])) : undefined;
      const texts = parts?.map(asText);
      return typeof a === "string" && texts && texts.every((t) => t !== undefined) ? texts.join(a) : undefined;
    }
    case "split":
      return typeof a === "string" && typeof b === "string" ? b.split(a) : undefined;
    case "concat":
      return args.every(Array.isArray) ? (args as Value[][]).flat() : undefined;
    case "merge":
      return args.every((x) => isObject(x) || x === null) ? (Object.assign({}, ...args.filter(isObject)) as Value) : undefined;
    case "flatten": {
      if (!Array.isArray(a)) return undefined;
      const flat = (l: Value[]): Value[] => l.flatMap((x) => (Array.isArray(x) ? flat(x) : [x]));
      return flat(a);
    }
    case "compact":
      return Array.isArray(a) && a.every((x) => x === null || typeof x === "string") ? a.filter((x) => x !== null && x !== "") : undefined;
    case "element":
      return Array.isArray(a) && a.length > 0 && typeof b === "number" && Number.isInteger(b) && b >= 0 ? a[b % a.length] : undefined;
    case "lookup":
      if (!isObject(a) || typeof b !== "string") return undefined;
      return Object.prototype.hasOwnProperty.call(a, b) ? a[b] : args.length === 3 ? c : undefined;
    case "contains":
      return Array.isArray(a) ? a.some((x) => sameValue(x, b)) : undefined;
    case "length":
      return typeof a === "string" ? [...a].length : Array.isArray(a) ? a.length : isObject(a) ? Object.keys(a).length : undefined;
    case "keys":
      return isObject(a) ? Object.keys(a).sort() : undefined;
    case "values":
      return isObject(a)
        ? Object.keys(a)
            .sort()
            .map((k) => a[k])
        : undefined;
    case "lower":
      return typeof a === "string" ? a.toLowerCase() : undefined;
    case "upper":
      return typeof a === "string" ? a.toUpperCase() : undefined;
    case "trimspace":
      return typeof a === "string" ? a.trim() : undefined;
    case "chomp":
      return typeof a === "string" ? a.replace(/(\r\n|\n|\r)+$/, "") : undefined;
    case "startswith":
      return typeof a === "string" && typeof b === "string" ? a.startsWith(b) : undefined;
    case "endswith":
      return typeof a === "string" && typeof b === "string" ? a.endsWith(b) : undefined;
    case "replace":
      // A substring given as /regex/ is a regular expression in Terraform's own syntax; only plain substrings are modelled.
      if (typeof a !== "string" || typeof b !== "string" || typeof c !== "string" || /^\/.*\/$/.test(b)) return undefined;
      return a.split(b).join(c);
    case "base64encode":
      return typeof a === "string" ? Buffer.from(a, "utf8").toString("base64") : undefined;
    case "base64decode":
      return typeof a === "string" ? Buffer.from(a, "base64").toString("utf8") : undefined;
    case "jsonencode":
      return args.length === 1 ? JSON.stringify(a) : undefined;
    case "jsondecode":
      try {
        return typeof a === "string" ? (JSON.parse(a) as Value) : undefined;
      } catch {
        return undefined;
      }
    default:
      return undefined;
  }
}
