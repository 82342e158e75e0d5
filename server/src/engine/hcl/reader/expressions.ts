// Reads expressions: conditionals, binary operators by precedence, unary operators, terms and their traversals (attributes, indexes, splats).
import type { Expr } from "../../model.ts";
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
    this.parseExpression();
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
    this.parseExpression();
    if (this.recovery && this.errorCount > falseBefore) return cond;
    return this.other(start);
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
      const rhsStart = this.peekStart();
      this.parseTermWithTraversals();
      lhs = this.other(start);
      if (this.recovery && this.errorCount > before) return lhs;
      while (BINARY_LEVEL[this.peek()] > level) {
        this.climb(OTHER_PLACEHOLDER, level + 1, rhsStart, before);
        lhs = this.other(start);
        if (this.recovery && this.errorCount > before) return lhs;
      }
    }
  }

  protected parseTermWithTraversals(): Expr {
    const start = this.peekStart();
    const parenthesised = this.peek() === T_OPAREN;
    const term = this.parseTerm();
    return this.parseTraversals(term, parenthesised, start);
  }

  /**
   * Attribute access, indexes and splats after a term that starts at `start`. A variable followed
   * only by attribute names and literal keys stays a traversal; anything else becomes `other`.
   */
  protected parseTraversals(from: Expr, parenthesised: boolean, start: number): Expr {
    let ret = from;
    // Whether `ret` can still grow as a traversal (a variable, not parenthesised, no splat or computed key yet).
    let traversal = this.build && from.kind === "traversal" && !parenthesised;
    let stepped = false;
    for (;;) {
      const t = this.peek();
      if (t === T_DOT) {
        this.read();
        const dotEnd = this.prevEnd;
        const a = this.peek();
        if (a === T_IDENT) {
          this.read();
          stepped = true;
          if (traversal) ret = this.extend(ret, this.text.slice(this.prevStart, this.prevEnd), start);
          else ret = this.other(start);
          continue;
        }
        if (a === T_NUMBER) {
          this.read();
          stepped = true;
          const numStart = this.prevStart;
          const numEnd = this.prevEnd;
          const dot = this.text.indexOf(".", numStart);
          if (dot >= 0 && dot < numEnd) {
            this.error(
              "Invalid legacy index syntax",
              `When using the legacy index syntax, chaining two indexes together is not permitted. Use the proper index syntax instead, like [${this.text.slice(numStart, dot)}][${this.text.slice(dot + 1, numEnd)}].`,
              numStart,
              numEnd,
            );
            ret = this.other(start);
            traversal = false;
            continue;
          }
          this.checkNumber(numStart, numEnd);
          if (traversal) ret = this.extend(ret, Number(this.text.slice(numStart, numEnd)), start);
          else ret = this.other(start);
          continue;
        }
        if (a === T_STAR) {
          // Attribute-only splat: `.*` then attribute names (or legacy numeric indexes).
          this.read();
          stepped = true;
          traversal = false;
          while (this.peek() === T_DOT) {
            this.read();
            const n = this.peek();
            if (n === T_NUMBER) {
              this.read();
              const numStart = this.prevStart;
              const numEnd = this.prevEnd;
              const dot = this.text.indexOf(".", numStart);
              if (dot >= 0 && dot < numEnd) {
                this.error(
                  "Invalid legacy index syntax",
                  `When using the legacy index syntax, chaining two indexes together is not permitted. Use the proper index syntax with a full splat expression [*] instead, like [${this.text.slice(numStart, dot)}][${this.text.slice(dot + 1, numEnd)}].`,
                  numStart,
                  numEnd,
                );
                continue;
              }
              this.checkNumber(numStart, numEnd);
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
              break;
            }
            this.read();
          }
          ret = this.other(start);
          continue;
        }
        this.error("Invalid attribute name", "An attribute name is required after a dot.", this.peekStart(), this.peekEnd());
        this.recovery = true;
        ret = this.build ? { kind: "other", range: this.range(start, dotEnd) } : OTHER_PLACEHOLDER;
        traversal = false;
        stepped = true;
        continue;
      }
      if (t === T_OBRACK) {
        this.read();
        stepped = true;
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
          this.parseTraversals(OTHER_PLACEHOLDER, false, start);
          ret = this.other(start);
          traversal = false;
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
        if (traversal) {
          const k = this.literalKey(key);
          if (k === undefined) {
            traversal = false;
            ret = this.other(start);
          } else ret = this.extend(ret, k, start);
        } else ret = this.other(start);
        continue;
      }
      break;
    }
    this.termParenthesised = parenthesised || stepped;
    return ret;
  }

  /** The key of an index that hclsyntax keeps in a traversal: a number or a quoted string, written as such. */
  protected literalKey(key: Expr): string | number | undefined {
    if (key === this.foldedNegative) return undefined;
    if (key.kind === "literal" && (typeof key.value === "number" || typeof key.value === "string") && !this.termParenthesised)
      return key.value;
    return undefined;
  }

  protected extend(ret: Expr, step: string | number, start: number): Expr {
    if (ret.kind !== "traversal") return this.other(start);
    return { kind: "traversal", root: ret.root, path: [...ret.path, step], range: this.range(start, this.prevEnd) };
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
        // The model reads through parentheses: `(1)` is the number 1 (it is no traversal root or index key, though).
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
        // `-7` is a number to HashiCorp's JSON conversion and to the rules; any other operand is an operation.
        if (
          t === T_MINUS &&
          operand.kind === "literal" &&
          typeof operand.value === "number" &&
          !this.termParenthesised &&
          operand !== this.foldedNegative
        ) {
          const folded: Expr = { kind: "literal", value: -operand.value, range: this.range(start, this.prevEnd) };
          this.foldedNegative = folded;
          return folded;
        }
        return this.other(start);
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
