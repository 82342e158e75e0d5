// Measures a text's bracket nesting before it is parsed, so that a file too deep for the parsers is refused with a finding.
import { diffTexts } from "./hcl/reuse.ts";

/** Characters `maxNesting` reacts to. */
const NESTING_CHARACTERS = /["\\{}[\]()\n$%]/;

/**
 * Whether an edit cannot change `maxNesting`: neither the removed nor the inserted text holds a
 * character it reacts to, so it sees the same sequence of them (typing a name or a value's letters).
 */
export function nestingUnchanged(oldText: string, newText: string): boolean {
  const { start, oldEnd, newEnd } = diffTexts(oldText, newText);
  return !NESTING_CHARACTERS.test(oldText.slice(start, oldEnd)) && !NESTING_CHARACTERS.test(newText.slice(start, newEnd));
}

/**
 * Largest bracket nesting in a text, roughly: brackets inside strings do not count, except inside a
 * template's `${...}` or `%{...}`, which holds an expression the parsers nest into as deeply as into
 * any other. In JSON (`json`), a string holding a template is decoded and its template measured.
 * `inString` starts the scan inside a quoted template.
 */
export function maxNesting(text: string, stopAt: number, json = false, inString = false): number {
  let depth = 0;
  let max = 0;
  /** The depth outside each open interpolation: its closing brace returns to the string around it. */
  const interpolations: number[] = [];
  const deeper = (levels: number): boolean => {
    if (depth + levels > max) max = depth + levels;
    return max > stopAt;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash escapes the next character
      else if (c === 34) inString = false;
      else if ((c === 36 || c === 37) && text.charCodeAt(i + 1) === 123) {
        i++;
        interpolations.push(depth);
        inString = false;
        depth++;
        if (deeper(0)) return max;
      }
      continue;
    }
    if (c === 34 && json) {
      // A JSON string: skipped whole, or, when it holds a template, decoded and measured as one.
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 34) end += text.charCodeAt(end) === 92 ? 2 : 1;
      const raw = text.slice(i, end + 1);
      if (raw.includes("${") || raw.includes("%{")) {
        let decoded: string | undefined;
        try {
          decoded = JSON.parse(raw) as string;
        } catch {
          decoded = undefined; // An unterminated string: the JSON parser reports it.
        }
        if (decoded !== undefined && deeper(maxNesting(decoded, stopAt - depth, false, true))) return max;
      }
      i = end;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 || c === 40) {
      depth++;
      if (deeper(0)) return max;
    } else if (c === 125 || c === 93 || c === 41) {
      depth = Math.max(0, depth - 1);
      if (c === 125 && interpolations.length > 0 && depth === interpolations[interpolations.length - 1]) {
        interpolations.pop();
        inString = true;
      }
    }
  }
  return max;
}
