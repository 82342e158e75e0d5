// Reads function calls, tuples, objects and for expressions (the bracketed expressions that hold others).
import type { Expr, ObjectEntry } from "../../model.ts";
import {
  T_CBRACE,
  T_CBRACK,
  T_COLON,
  T_COMMA,
  T_CPAREN,
  T_DOUBLE_COLON,
  T_ELLIPSIS,
  T_EOF,
  T_EQUAL,
  T_FAT_ARROW,
  T_IDENT,
  T_NEWLINE,
  T_OPAREN,
} from "./tokens.ts";
import { OTHER_PLACEHOLDER } from "./parser-base.ts";
import { TemplateParser } from "./templates.ts";

export abstract class CollectionParser extends TemplateParser {
  // ---- calls, tuples, objects and for expressions ----------------------------------------

  protected finishCall(nameStart: number, nameEnd: number): Expr {
    let open = this.read();
    let name = this.text.slice(nameStart, nameEnd);
    while (open === T_DOUBLE_COLON) {
      const part = this.read();
      if (part !== T_IDENT) {
        this.error(
          "Missing function name",
          "Function scope resolution symbol :: must be followed by a function name in this scope.",
          this.prevStart,
          this.prevEnd,
        );
        this.recoverOver(T_OPAREN);
        return this.other(nameStart);
      }
      name += "::" + this.text.slice(this.prevStart, this.prevEnd);
      open = this.read();
    }
    if (open !== T_OPAREN) {
      this.error(
        "Missing open parenthesis",
        "Function selector must be followed by an open parenthesis to begin the function call.",
        this.prevStart,
        this.prevEnd,
      );
      this.recoverOver(T_OPAREN);
      return this.other(nameStart);
    }
    const args: Expr[] = [];
    this.pushNewlines(false);
    for (;;) {
      if (this.peek() === T_CPAREN) {
        this.read();
        break;
      }
      const before = this.errorCount;
      const arg = this.parseExpression();
      if (this.build) args.push(arg);
      if (this.recovery && this.errorCount > before) {
        this.recover(T_CPAREN);
        break;
      }
      const sep = this.read();
      if (sep === T_CPAREN) break;
      if (sep === T_ELLIPSIS) {
        if (this.peek() !== T_CPAREN) {
          if (!this.recovery)
            this.error(
              "Missing closing parenthesis",
              "An expanded function argument (with ...) must be immediately followed by closing parentheses.",
              this.prevStart,
              this.prevEnd,
            );
          this.recover(T_CPAREN);
        } else this.read();
        break;
      }
      if (sep !== T_COMMA) {
        if (sep === T_EOF)
          this.error(
            "Unterminated function call",
            "There is no closing parenthesis for this function call before the end of the file. This may be caused by incorrect parenthesis nesting elsewhere in this file.",
            nameStart,
            nameEnd,
          );
        else
          this.error(
            "Missing argument separator",
            "A comma is required to separate each function argument from the next.",
            this.prevStart,
            this.prevEnd,
          );
        this.recover(T_CPAREN);
        break;
      }
      if (this.peek() === T_CPAREN) {
        this.read();
        break;
      }
    }
    this.popNewlines();
    return this.build ? { kind: "call", name, args, range: this.range(nameStart, this.prevEnd) } : OTHER_PLACEHOLDER;
  }

  protected isForKeyword(): boolean {
    return this.peek() === T_IDENT && this.peekEnd() - this.peekStart() === 3 && this.text.startsWith("for", this.peekStart());
  }

  protected parseTuple(): Expr {
    this.read(); // [
    const open = this.prevStart;
    const openEnd = this.prevEnd;
    this.pushNewlines(false);
    try {
      if (this.isForKeyword()) return this.finishFor(open, T_CBRACK);
      const items: Expr[] = [];
      for (;;) {
        if (this.peek() === T_CBRACK) {
          this.read();
          break;
        }
        const before = this.errorCount;
        const item = this.parseExpression();
        if (this.build) items.push(item);
        if (this.recovery && this.errorCount > before) {
          this.recover(T_CBRACK);
          break;
        }
        const next = this.peek();
        if (next === T_CBRACK) {
          this.read();
          break;
        }
        if (next !== T_COMMA) {
          if (!this.recovery) {
            if (next === T_EOF)
              this.error(
                "Unterminated tuple constructor expression",
                "There is no corresponding closing bracket before the end of the file. This may be caused by incorrect bracket nesting elsewhere in this file.",
                open,
                openEnd,
              );
            else
              this.error(
                "Missing item separator",
                "Expected a comma to mark the beginning of the next item.",
                this.peekStart(),
                this.peekEnd(),
              );
          }
          this.recover(T_CBRACK);
          break;
        }
        this.read();
      }
      return this.build ? { kind: "tuple", items, range: this.range(open, this.prevEnd) } : OTHER_PLACEHOLDER;
    } finally {
      this.popNewlines();
    }
  }

  protected parseObject(): Expr {
    this.read(); // {
    const open = this.prevStart;
    const openEnd = this.prevEnd;
    // A `for` is looked for across newlines: for expressions are not newline-sensitive.
    this.pushNewlines(false);
    const isFor = this.isForKeyword();
    this.popNewlines();
    if (isFor) {
      this.pushNewlines(false);
      try {
        return this.finishFor(open, T_CBRACE);
      } finally {
        this.popNewlines();
      }
    }
    this.pushNewlines(true);
    const entries: ObjectEntry[] = [];
    try {
      for (;;) {
        const next = this.peek();
        if (next === T_NEWLINE) {
          this.read();
          continue;
        }
        if (next === T_CBRACE) {
          this.read();
          break;
        }
        const keyStart = this.peekStart();
        const parenthesised = next === T_OPAREN;
        const keyBefore = this.errorCount;
        const key = this.parseExpression();
        const keyEnd = this.prevEnd;
        if (this.recovery && this.errorCount > keyBefore) {
          this.recover(T_CBRACE);
          break;
        }
        const sep = this.peek();
        if (sep !== T_EQUAL && sep !== T_COLON) {
          if (!this.recovery) {
            if (sep === T_NEWLINE || sep === T_COMMA)
              this.error(
                "Missing attribute value",
                'Expected an attribute value, introduced by an equals sign ("=").',
                this.peekStart(),
                this.peekEnd(),
              );
            else if (sep === T_EOF)
              this.error(
                "Unterminated object constructor expression",
                "There is no corresponding closing brace before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
                open,
                openEnd,
              );
            else
              this.error(
                "Missing key/value separator",
                'Expected an equals sign ("=") to mark the beginning of the attribute value.',
                this.peekStart(),
                this.peekEnd(),
              );
          }
          this.recover(T_CBRACE);
          break;
        }
        this.read();
        const valueBefore = this.errorCount;
        const value = this.parseExpression();
        if (this.recovery && this.errorCount > valueBefore) {
          this.recover(T_CBRACE);
          break;
        }
        if (this.build)
          entries.push({
            key: parenthesised ? undefined : this.objectKey(key, keyStart, keyEnd),
            keyRange: this.range(keyStart, keyEnd),
            value,
          });
        const after = this.peek();
        if (after === T_CBRACE) {
          this.read();
          break;
        }
        if (after !== T_COMMA && after !== T_NEWLINE) {
          if (!this.recovery) {
            if (after === T_EOF)
              this.error(
                "Unterminated object constructor expression",
                "There is no corresponding closing brace before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
                open,
                openEnd,
              );
            else
              this.error(
                "Missing attribute separator",
                "Expected a newline or comma to mark the beginning of the next attribute.",
                this.peekStart(),
                this.peekEnd(),
              );
          }
          this.recover(T_CBRACE);
          break;
        }
        this.read();
      }
    } finally {
      this.popNewlines();
    }
    return this.build ? { kind: "object", entries, range: this.range(open, this.prevEnd) } : OTHER_PLACEHOLDER;
  }

  /** An object key as written: a bare name (`a = 1`, and `true`/`null` as names), or a literal string. */
  protected objectKey(key: Expr, start: number, end: number): string | undefined {
    if (key.kind === "traversal" && key.path.length === 0) return key.root;
    if (key.kind === "literal" && typeof key.value === "string") return key.value;
    if (key.kind === "literal" && typeof key.value !== "number") {
      // `true = 1` names its key "true": hclsyntax reads keywords in key position as names.
      const written = this.text.slice(start, end);
      if (written === "true" || written === "false" || written === "null") return written;
    }
    if (key.kind === "template" && key.parts.every((p) => typeof p === "string")) return key.parts.join("");
    return undefined;
  }

  protected finishFor(open: number, close: number): Expr {
    this.read(); // for
    const bail = (): Expr => this.abandonFor(open, close);
    if (this.peek() !== T_IDENT) {
      if (!this.recovery)
        this.error("Invalid 'for' expression", "For expression requires variable name after 'for'.", this.peekStart(), this.peekEnd());
      return bail();
    }
    this.read();
    if (this.peek() === T_COMMA) {
      this.read();
      if (this.peek() !== T_IDENT) {
        if (!this.recovery)
          this.error(
            "Invalid 'for' expression",
            "For expression requires value variable name after comma.",
            this.peekStart(),
            this.peekEnd(),
          );
        return bail();
      }
      this.read();
    }
    if (!(this.peek() === T_IDENT && this.peekEnd() - this.peekStart() === 2 && this.text.startsWith("in", this.peekStart()))) {
      if (!this.recovery)
        this.error(
          "Invalid 'for' expression",
          "For expression requires the 'in' keyword after its name declarations.",
          this.peekStart(),
          this.peekEnd(),
        );
      return bail();
    }
    this.read();
    const collBefore = this.errorCount;
    this.parseExpression();
    if (this.recovery && this.errorCount > collBefore) return bail();
    if (this.peek() !== T_COLON) {
      if (!this.recovery)
        this.error(
          "Invalid 'for' expression",
          "For expression requires a colon after the collection expression.",
          this.peekStart(),
          this.peekEnd(),
        );
      return bail();
    }
    this.read();
    const valueBefore = this.errorCount;
    let keyStart = -1;
    let keyEnd = -1;
    const firstStart = this.peekStart();
    this.parseExpression();
    const firstEnd = this.prevEnd;
    if (this.peek() === T_FAT_ARROW) {
      this.read();
      keyStart = firstStart;
      keyEnd = firstEnd;
      this.parseExpression();
    }
    if (this.recovery && this.errorCount > valueBefore) return bail();
    let ellipsis = -1;
    let ellipsisEnd = -1;
    if (this.peek() === T_ELLIPSIS) {
      this.read();
      ellipsis = this.prevStart;
      ellipsisEnd = this.prevEnd;
    }
    if (this.peek() === T_IDENT && this.peekEnd() - this.peekStart() === 2 && this.text.startsWith("if", this.peekStart())) {
      this.read();
      const condBefore = this.errorCount;
      this.parseExpression();
      if (this.recovery && this.errorCount > condBefore) return bail();
    }
    if (this.peek() === close) this.read();
    else {
      if (!this.recovery)
        this.error("Invalid 'for' expression", "Extra characters after the end of the 'for' expression.", this.peekStart(), this.peekEnd());
      this.recover(close);
    }
    if (close === T_CBRACK) {
      if (keyStart >= 0) this.error("Invalid 'for' expression", "Key expression is not valid when building a tuple.", keyStart, keyEnd);
      if (ellipsis >= 0)
        this.error("Invalid 'for' expression", "Grouping ellipsis (...) cannot be used when building a tuple.", ellipsis, ellipsisEnd);
    } else if (keyStart < 0) {
      this.error("Invalid 'for' expression", "Key expression is required when building an object.", firstStart, firstEnd);
    }
    return this.other(open);
  }

  protected abandonFor(open: number, close: number): Expr {
    this.recover(close);
    return this.other(open);
  }
}
