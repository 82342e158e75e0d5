// Reads expressions: conditionals, binary operators by precedence, unary operators, terms and their traversals (attributes, indexes, splats).
import type { Expr, Range } from "../../model.ts";
import {
  T_AND,
  T_BANG,
  T_CBRACK,
  T_COLON,
  T_CPAREN,
  T_DOT,
  T_DOUBLE_COLON,
  T_EOF,
  T_EQUAL_OP,
  T_GREATER,
  T_GREATER_EQ,
  T_IDENT,
  T_LESS,
  T_LESS_EQ,
  T_MINUS,
  T_NOT_EQUAL,
  T_NUMBER,
  T_OBRACE,
  T_OBRACK,
  T_OHEREDOC,
  T_OPAREN,
  T_OQUOTE,
  T_OR,
  T_PERCENT,
  T_PLUS,
  T_QUESTION,
  T_SLASH,
  T_STAR,
} from "./tokens.ts";
import { validNumberLiteral } from "./literals.ts";
import { CollectionParser } from "./collections.ts";
import { OTHER_PLACEHOLDER } from "./parser-base.ts";

/**
 * The precedence level of each binary operator token (0: none), loosest first, as the spec's table
 * orders them: `||`, `&&`, `== !=`, `> >= < <=`, `+ -`, `* / %`. Operators of one level are
 * left-associative.
 */
const BINARY_LEVEL = new Uint8Array(64);
[
  [T_OR],
  [T_AND],
  [T_EQUAL_OP, T_NOT_EQUAL],
  [T_GREATER, T_GREATER_EQ, T_LESS, T_LESS_EQ],
  [T_PLUS, T_MINUS],
  [T_STAR, T_SLASH, T_PERCENT],
].forEach((ops, i) => {
  for (const t of ops) BINARY_LEVEL[t] = i + 1;
});

const SPLAT = Symbol("splat");
const COMPUTED = Symbol("computed");

/** The traversal steps of a term being built: attribute names and literal keys, splats, computed (or erroneous) steps, and where each ends. */
class Steps {
  readonly values: Array<string | number | typeof SPLAT | typeof COMPUTED> = [];
  readonly ends: number[] = [];

  push(value: string | number | typeof SPLAT | typeof COMPUTED, end: number): void {
    this.values.push(value);
    this.ends.push(end);
  }
}

/** The key of an index that the model keeps in a traversal: a number or a string, written as a literal. */
function literalKey(key: Expr): string | number | undefined {
  if (key.kind === "literal" && (typeof key.value === "number" || typeof key.value === "string")) return key.value;
  return undefined;
}

export abstract class ExpressionParser extends CollectionParser {
  // ---- expressions ---------------------------------------------------------------------------

  parseExpression(): Expr {
    return this.parseConditional();
  }

  protected parseConditional(): Expr {
    const start = this.peekStart();
    const errorsBefore = this.errorCount;
    const cond = this.parseBinary();
    if (this.recovery && this.errorCount > errorsBefore) return cond;
    if (this.peek() !== T_QUESTION) return cond;
    this.read();
    const trueBefore = this.errorCount;
    const whenTrue = this.parseExpression();
    if (this.recovery && this.errorCount > trueBefore) return cond;
    if (this.peek() !== T_COLON) {
      this.error(
        "Missing false expression in conditional",
        "The conditional operator (...?...:...) requires a false expression, delimited by a colon.",
        this.peekStart(),
        this.peekEnd(),
      );
      return cond;
    }
    this.read();
    const falseBefore = this.errorCount;
    const whenFalse = this.parseExpression();
    if (this.recovery && this.errorCount > falseBefore) return cond;
    if (!this.build) return OTHER_PLACEHOLDER;
    return { kind: "conditional", condition: cond, whenTrue, whenFalse, range: this.range(start, this.prevEnd) };
  }

  /**
   * Binary operations by precedence climbing, which decides as hclsyntax's one function per level
   * does (left-associative within a level, tighter levels first) with one call per operand.
   * After an error in recovery the whole operation stops, as every level there returns.
   */
  protected parseBinary(): Expr {
    const start = this.peekStart();
    const before = this.errorCount;
    const first = this.parseTermWithTraversals();
    if (!BINARY_LEVEL[this.peek()] || (this.recovery && this.errorCount > before)) return first;
    return this.climb(first, 1, start, before);
  }

  protected climb(lhs: Expr, minLevel: number, start: number, before: number): Expr {
    for (;;) {
      const level = BINARY_LEVEL[this.peek()];
      if (level === 0 || level < minLevel) return lhs;
      this.read();
      const operatorStart = this.prevStart;
      const operatorEnd = this.prevEnd;
      const rhsStart = this.peekStart();
      let rhs = this.parseTermWithTraversals();
      if (this.recovery && this.errorCount > before) return this.other(start);
      // Tighter operators after the right operand take it as their left one.
      while (BINARY_LEVEL[this.peek()] > level) {
        rhs = this.climb(rhs, level + 1, rhsStart, before);
        if (this.recovery && this.errorCount > before) return this.other(start);
      }
      lhs = this.build
        ? {
            kind: "operation",
            operator: this.text.slice(operatorStart, operatorEnd),
            operands: [lhs, rhs],
            range: this.range(start, this.prevEnd),
          }
        : OTHER_PLACEHOLDER;
    }
  }

  protected parseTermWithTraversals(): Expr {
    const start = this.peekStart();
    const parenthesised = this.peek() === T_OPAREN;
    const term = this.parseTerm();
    return this.parseTraversals(term, parenthesised, start);
  }

  /**
   * Attribute access, indexes and splats after a term that starts at `start`, and the expression
   * they make: a variable followed only by attribute names and literal keys is a traversal; a splat
   * has the expression before it as its source and the literal steps after it as its path (an index
   * after an attribute-only splat too, as the model reads it); anything else is `other`.
   */
  protected parseTraversals(from: Expr, parenthesised: boolean, start: number): Expr {
    const steps = this.build ? new Steps() : undefined;
    this.parseTraversalSteps(steps);
    if (!steps || steps.values.length === 0) return from;
    return this.traversalExpr(from, parenthesised, start, steps);
  }

  /** Reads traversal steps (into `steps` when building), with the checks and recovery hclsyntax makes. */
  protected parseTraversalSteps(steps: Steps | undefined): void {
    for (;;) {
      const t = this.peek();
      if (t === T_DOT) {
        this.read();
        const dotEnd = this.prevEnd;
        const a = this.peek();
        if (a === T_IDENT) {
          this.read();
          steps?.push(this.text.slice(this.prevStart, this.prevEnd), this.prevEnd);
          continue;
        }
        if (a === T_NUMBER) {
          this.read();
          this.legacyIndex(steps, false);
          continue;
        }
        if (a === T_STAR) {
          // Attribute-only splat: `.*` then attribute names (or legacy numeric indexes).
          this.read();
          steps?.push(SPLAT, this.prevEnd);
          while (this.peek() === T_DOT) {
            this.read();
            const n = this.peek();
            if (n === T_NUMBER) {
              this.read();
              this.legacyIndex(steps, true);
              continue;
            }
            if (n !== T_IDENT) {
              if (!this.recovery) {
                if (n === T_STAR)
                  this.error(
                    "Nested splat expression not allowed",
                    "A splat expression (*) cannot be used inside another attribute-only splat expression.",
                    this.peekStart(),
                    this.peekEnd(),
                  );
                else this.error("Invalid attribute name", "An attribute name is required after a dot.", this.peekStart(), this.peekEnd());
              }
              this.recovery = true;
              steps?.push(COMPUTED, this.prevEnd);
              break;
            }
            this.read();
            steps?.push(this.text.slice(this.prevStart, this.prevEnd), this.prevEnd);
          }
          continue;
        }
        this.error("Invalid attribute name", "An attribute name is required after a dot.", this.peekStart(), this.peekEnd());
        this.recovery = true;
        steps?.push(COMPUTED, dotEnd);
        continue;
      }
      if (t === T_OBRACK) {
        this.read();
        if (this.peek() === T_STAR) {
          // Full splat: `[*]` and then any traversal steps, applied to each element.
          this.read();
          const close = this.read();
          if (close !== T_CBRACK && !this.recovery) {
            this.error(
              "Missing close bracket on splat index",
              'The star for a full splat operator must be immediately followed by a closing bracket ("]").',
              this.prevStart,
              this.prevEnd,
            );
            this.recover(T_CBRACK);
          }
          steps?.push(SPLAT, this.prevEnd);
          this.parseTraversalSteps(steps);
          continue;
        }
        this.pushNewlines(false);
        const keyBefore = this.errorCount;
        const key = this.parseExpression();
        if (this.recovery && this.errorCount > keyBefore) this.recover(T_CBRACK);
        else {
          const close = this.read();
          if (close !== T_CBRACK && !this.recovery) {
            this.error(
              "Missing close bracket on index",
              'The index operator must end with a closing bracket ("]").',
              this.prevStart,
              this.prevEnd,
            );
            this.recover(T_CBRACK);
          }
        }
        this.popNewlines();
        steps?.push(literalKey(key) ?? COMPUTED, this.prevEnd);
        continue;
      }
      return;
    }
  }

  /** A legacy index (`.0`) just read; two chained ones (`.0.1`, one number token) are an error. */
  protected legacyIndex(steps: Steps | undefined, inSplat: boolean): void {
    const numStart = this.prevStart;
    const numEnd = this.prevEnd;
    const dot = this.text.indexOf(".", numStart);
    if (dot >= 0 && dot < numEnd) {
      const proper = inSplat ? "the proper index syntax with a full splat expression [*] instead" : "the proper index syntax instead";
      this.error(
        "Invalid legacy index syntax",
        `When using the legacy index syntax, chaining two indexes together is not permitted. Use ${proper}, like [${this.text.slice(numStart, dot)}][${this.text.slice(dot + 1, numEnd)}].`,
        numStart,
        numEnd,
      );
      steps?.push(COMPUTED, numEnd);
      return;
    }
    this.checkNumber(numStart, numEnd);
    steps?.push(Number(this.text.slice(numStart, numEnd)), numEnd);
  }

  /** A term and its traversal steps as the model reads them: the steps before the first splat make its source, those after it its path. */
  protected traversalExpr(from: Expr, parenthesised: boolean, start: number, steps: Steps): Expr {
    const { values, ends } = steps;
    const range = this.range(start, ends[ends.length - 1]);
    const splatAt = values.indexOf(SPLAT);
    if (splatAt < 0) return this.traversalOf(from, parenthesised, values, values.length, range);
    const source = splatAt === 0 ? from : this.traversalOf(from, parenthesised, values, splatAt, this.range(start, ends[splatAt - 1]));
    const path: Array<string | number> = [];
    for (let i = splatAt + 1; i < values.length; i++) {
      const step = values[i];
      if (step === SPLAT || step === COMPUTED) return { kind: "other", range };
      path.push(step);
    }
    return { kind: "splat", source, path, range };
  }

  /** `from` and its first `count` steps: a traversal when `from` is a bare variable and every step a name or literal key. */
  protected traversalOf(from: Expr, parenthesised: boolean, values: Steps["values"], count: number, range: Range): Expr {
    if (from.kind !== "traversal" || parenthesised) return { kind: "other", range };
    const path: Array<string | number> = [];
    for (let i = 0; i < count; i++) {
      const step = values[i];
      if (step === SPLAT || step === COMPUTED) return { kind: "other", range };
      path.push(step);
    }
    return { kind: "traversal", root: from.root, path, range };
  }

  protected parseTerm(): Expr {
    const t = this.peek();
    switch (t) {
      case T_OPAREN: {
        this.read();
        this.pushNewlines(false);
        const before = this.errorCount;
        const inner = this.parseExpression();
        if (this.errorCount > before) {
          this.recover(T_CPAREN);
          this.popNewlines();
          return inner;
        }
        if (this.peek() !== T_CPAREN) {
          this.error(
            "Unbalanced parentheses",
            "Expected a closing parenthesis to terminate the expression.",
            this.peekStart(),
            this.peekEnd(),
          );
          this.recovery = true;
        }
        this.read();
        this.popNewlines();
        // The model reads through parentheses: `(1)` is the number 1, an index key too (`a[(0)]` is `a[0]`), but no traversal root.
        return inner;
      }
      case T_NUMBER: {
        this.read();
        const start = this.prevStart;
        const end = this.prevEnd;
        const valid = this.checkNumber(start, end);
        if (!this.build) return OTHER_PLACEHOLDER;
        return valid
          ? { kind: "literal", value: Number(this.text.slice(start, end)), range: this.range(start, end) }
          : { kind: "other", range: this.range(start, end) };
      }
      case T_IDENT: {
        this.read();
        const start = this.prevStart;
        const end = this.prevEnd;
        const after = this.peek();
        if (after === T_OPAREN || after === T_DOUBLE_COLON) return this.finishCall(start, end);
        if (!this.build) return OTHER_PLACEHOLDER;
        const name = this.text.slice(start, end);
        const range = this.range(start, end);
        if (name === "true") return { kind: "literal", value: true, range };
        if (name === "false") return { kind: "literal", value: false, range };
        if (name === "null") return { kind: "literal", value: null, range };
        return { kind: "traversal", root: name, path: [], range };
      }
      case T_OQUOTE:
      case T_OHEREDOC:
        return this.parseTemplate(t);
      case T_MINUS:
      case T_BANG: {
        this.read();
        const start = this.prevStart;
        const operand = this.parseTermWithTraversals();
        if (!this.build) return OTHER_PLACEHOLDER;
        // `-7` too is an operation, as hclsyntax reads it (a negation of the number 7).
        return { kind: "operation", operator: t === T_MINUS ? "-" : "!", operands: [operand], range: this.range(start, this.prevEnd) };
      }
      case T_OBRACK:
        return this.parseTuple();
      case T_OBRACE:
        return this.parseObject();
    }
    if (!this.recovery) {
      if (t === T_EOF)
        this.error(
          "Missing expression",
          "Expected the start of an expression, but found the end of the file.",
          this.peekStart(),
          this.peekEnd(),
        );
      else
        this.error(
          "Invalid expression",
          "Expected the start of an expression, but found an invalid expression token.",
          this.peekStart(),
          this.peekEnd(),
        );
    }
    this.recovery = true;
    const at = this.peekStart();
    return this.build ? { kind: "other", range: this.range(at, this.peekEnd()) } : OTHER_PLACEHOLDER;
  }

  /** Whether a number token's value is one HashiCorp's parser accepts; reports it when not. */
  protected checkNumber(start: number, end: number): boolean {
    if (validNumberLiteral(this.text, start, end)) return true;
    this.error("Invalid number literal", "Failed to recognize the value of this number literal.", start, end);
    return false;
  }
}
