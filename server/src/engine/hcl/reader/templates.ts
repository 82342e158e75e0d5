// Reads quoted templates and heredocs: literals with escapes and strip markers, interpolations, and if/for directives.
import type { Expr } from "../../model.ts";
import {
  trimEndGoSpace,
  trimStartGoSpace,
  T_CHEREDOC,
  T_COLON,
  T_COMMA,
  T_CQUOTE,
  T_EOF,
  T_IDENT,
  T_OHEREDOC,
  T_OQUOTE,
  T_QUOTED_LIT,
  T_STRING_LIT,
  T_TEMPLATE_CONTROL,
  T_TEMPLATE_INTERP,
  T_TEMPLATE_SEQ_END,
} from "./tokens.ts";
import {
  flushHeredocLines,
  nfc,
  TT_ELSE,
  TT_END,
  TT_ENDFOR,
  TT_ENDIF,
  TT_FOR,
  TT_IF,
  TT_INTERP,
  TT_LITERAL,
  type TemplateToken,
} from "./literals.ts";
import { OTHER_PLACEHOLDER, ParserBase } from "./parser-base.ts";

export abstract class TemplateParser extends ParserBase {
  // ---- templates -----------------------------------------------------------------------------

  /** A quoted template or a heredoc, from its opening token. */
  protected parseTemplate(opener: number): Expr {
    this.read();
    const start = this.prevStart;
    const flush = opener === T_OHEREDOC && this.text.charCodeAt(start + 2) === 0x2d;
    const close = opener === T_OQUOTE ? T_CQUOTE : T_CHEREDOC;
    const parts = this.parseTemplateParts(close);
    if (!this.build) {
      // Checking: only directives have a structure to check (literals and interpolations were).
      if (parts[0].kind !== TT_LITERAL) this.parseTemplateStructure(parts);
      return OTHER_PLACEHOLDER;
    }
    if (flush) flushHeredocLines(parts);
    const exprs = this.parseTemplateStructure(parts);
    const range = this.range(start, this.prevEnd);
    // Consecutive literal parts are one string, as hclsyntax melds them.
    const model: Array<string | Expr> = [];
    let literalOnly = true;
    for (const part of exprs) {
      if (typeof part === "string") {
        const last = model[model.length - 1];
        if (typeof last === "string") model[model.length - 1] = last + part;
        else model.push(part);
      } else {
        literalOnly = false;
        model.push(part);
      }
    }
    // HCL's string values are in Unicode normal form C (cty normalises every string it holds).
    for (let i = 0; i < model.length; i++) model[i] = nfc(model[i]);
    if (opener === T_OQUOTE && literalOnly) return { kind: "literal", value: model.length ? (model[0] as string) : "", range };
    return { kind: "template", parts: model.filter((p) => p !== ""), heredoc: opener === T_OHEREDOC, range };
  }

  /** The flat parts of a template up to `close`: literals (strip markers applied), interpolations, directive markers. */
  protected parseTemplateParts(close: number): TemplateToken[] {
    const parts: TemplateToken[] = [];
    const templateStart = this.peekStart();
    let ltrimNext = false;
    let nextCanTrimPrev = false;
    let endStart: number;
    let endEnd: number;
    for (;;) {
      const t = this.read();
      if (t === close) {
        endStart = this.prevStart;
        endEnd = this.prevEnd;
        break;
      }
      const ltrim = ltrimNext;
      ltrimNext = false;
      const canTrimPrev = nextCanTrimPrev;
      nextCanTrimPrev = false;
      if (t === T_QUOTED_LIT || t === T_STRING_LIT) {
        if (!this.build) {
          // Checking a file needs no values: only a backslash escape can be malformed.
          if (t === T_QUOTED_LIT && this.hasBackslash(this.prevStart, this.prevEnd)) this.literalText(this.prevStart, this.prevEnd, true);
          continue;
        }
        let value = this.literalText(this.prevStart, this.prevEnd, t === T_QUOTED_LIT);
        if (ltrim) value = trimStartGoSpace(value);
        parts.push({ kind: TT_LITERAL, text: value, start: this.prevStart, end: this.prevEnd });
        nextCanTrimPrev = true;
        continue;
      }
      if (t === T_TEMPLATE_INTERP || t === T_TEMPLATE_CONTROL) {
        const seqStart = this.prevStart;
        if (canTrimPrev && this.prevEnd - this.prevStart === 3 && parts.length > 0) {
          const prev = parts[parts.length - 1];
          if (prev.kind === TT_LITERAL) prev.text = trimEndGoSpace(prev.text);
        }
        this.pushNewlines(false);
        if (t === T_TEMPLATE_INTERP) {
          const expr = this.parseExpression();
          const closeType = this.peek();
          if (closeType !== T_TEMPLATE_SEQ_END) {
            if (!this.recovery) {
              if (closeType === T_EOF)
                this.error(
                  "Unclosed template interpolation sequence",
                  "There is no closing brace for this interpolation sequence before the end of the file. This might be caused by incorrect nesting inside the given expression.",
                  templateStart,
                  templateStart,
                );
              else if (closeType === T_COLON)
                this.error(
                  "Extra characters after interpolation expression",
                  'Template interpolation doesn\'t expect a colon at this location. Did you intend this to be a literal sequence to be processed as part of another language? If so, you can escape it by starting with "$${" instead of just "${".',
                  this.peekStart(),
                  this.peekEnd(),
                );
              else if ((closeType === T_CQUOTE || closeType === T_OQUOTE) && close === T_CQUOTE)
                this.error(
                  "Unclosed template interpolation sequence",
                  "There is no closing brace for this interpolation sequence before the end of the quoted template. This might be caused by incorrect nesting inside the given expression.",
                  templateStart,
                  templateStart,
                );
              else
                this.error(
                  "Extra characters after interpolation expression",
                  'Expected a closing brace to end the interpolation expression, but found extra characters.\n\nThis can happen when you include interpolation syntax for another language, such as shell scripting, but forget to escape the interpolation start token. If this is an embedded sequence for another language, escape it by starting with "$${" instead of just "${".',
                  this.peekStart(),
                  this.peekEnd(),
                );
            }
            this.recover(T_TEMPLATE_SEQ_END);
          } else {
            this.read();
            if (this.prevEnd - this.prevStart === 2) ltrimNext = true; // `~}`
          }
          this.popNewlines();
          if (this.build) parts.push({ kind: TT_INTERP, text: "", expr, start: seqStart, end: this.prevEnd });
          continue;
        }
        // A directive: `%{ if … }`, `%{ else }`, `%{ endif }`, `%{ for … in … }`, `%{ endfor }`.
        if (this.peek() !== T_IDENT) {
          if (!this.recovery)
            this.error(
              "Invalid template directive",
              'A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence.',
              this.peekStart(),
              this.peekEnd(),
            );
          this.recover(T_TEMPLATE_SEQ_END);
          this.popNewlines();
          continue;
        }
        this.read();
        const keyword = this.text.slice(this.prevStart, this.prevEnd);
        let kind: number;
        if (keyword === "if") {
          this.parseExpression();
          kind = TT_IF;
        } else if (keyword === "else") kind = TT_ELSE;
        else if (keyword === "endif") kind = TT_ENDIF;
        else if (keyword === "endfor") kind = TT_ENDFOR;
        else if (keyword === "for") {
          if (this.peek() !== T_IDENT) {
            if (!this.recovery)
              this.error("Invalid 'for' directive", "For directive requires variable name after 'for'.", this.peekStart(), this.peekEnd());
            this.recover(T_TEMPLATE_SEQ_END);
            this.popNewlines();
            continue;
          }
          this.read();
          if (this.peek() === T_COMMA) {
            this.read();
            if (this.peek() !== T_IDENT) {
              if (!this.recovery)
                this.error(
                  "Invalid 'for' directive",
                  "For directive requires value variable name after comma.",
                  this.peekStart(),
                  this.peekEnd(),
                );
              this.recover(T_TEMPLATE_SEQ_END);
              this.popNewlines();
              continue;
            }
            this.read();
          }
          if (!(this.peek() === T_IDENT && this.peekEnd() - this.peekStart() === 2 && this.text.startsWith("in", this.peekStart()))) {
            if (!this.recovery)
              this.error("Invalid 'for' directive", "For directive requires 'in' keyword after names.", this.peekStart(), this.peekEnd());
            this.recover(T_TEMPLATE_SEQ_END);
            this.popNewlines();
            continue;
          }
          this.read();
          this.parseExpression();
          kind = TT_FOR;
        } else {
          if (!this.recovery)
            this.error(
              "Invalid template control keyword",
              `"${keyword}" is not a valid template control keyword.`,
              this.prevStart,
              this.prevEnd,
            );
          this.recover(T_TEMPLATE_SEQ_END);
          this.popNewlines();
          continue;
        }
        parts.push({ kind, text: "", start: seqStart, end: this.peekStart() });
        if (this.peek() !== T_TEMPLATE_SEQ_END) {
          if (!this.recovery)
            this.error(
              `Extra characters in ${keyword} marker`,
              "Expected a closing brace to end the sequence, but found extra characters.",
              this.peekStart(),
              this.peekEnd(),
            );
          this.recover(T_TEMPLATE_SEQ_END);
        } else {
          this.read();
          if (this.prevEnd - this.prevStart === 2) ltrimNext = true;
        }
        parts[parts.length - 1].end = this.prevEnd;
        this.popNewlines();
        continue;
      }
      // Anything else (a line break in a quoted string, the end of the file) ends the template unclosed.
      if (!this.recovery)
        this.error("Unterminated template string", "No closing marker was found for the string.", this.prevStart, this.prevEnd);
      this.recover(close);
      endStart = this.prevStart;
      endEnd = this.prevEnd;
      break;
    }
    if (parts.length === 0) parts.push({ kind: TT_LITERAL, text: "", start: templateStart, end: templateStart });
    parts.push({ kind: TT_END, text: "", start: endStart, end: endEnd });
    return parts;
  }

  protected hasBackslash(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.text.charCodeAt(i) === 0x5c) return true;
    return false;
  }

  /**
   * Matches `if`/`else`/`endif` and `for`/`endfor` markers (unbalanced ones are errors) and returns
   * the model's parts: literal text, interpolated expressions, and each directive as one `other`.
   */
  protected parseTemplateStructure(parts: TemplateToken[]): Array<string | Expr> {
    const out: Array<string | Expr> = [];
    let i = 0;
    const parseItem = (): string | Expr | undefined => {
      const part = parts[i];
      switch (part.kind) {
        case TT_LITERAL:
          i++;
          return part.text;
        case TT_INTERP:
          i++;
          return part.expr ?? OTHER_PLACEHOLDER;
        case TT_IF:
        case TT_FOR:
          return parseDirective();
        case TT_END:
          i++;
          this.error("Unexpected end of template", "The control directives within this template are unbalanced.", part.start, part.end);
          return undefined;
        default:
          i++;
          this.error(
            `Unexpected ${directiveName(part.kind)} directive`,
            "The control directives within this template are unbalanced.",
            part.start,
            part.end,
          );
          return undefined;
      }
    };
    const parseDirective = (): Expr | undefined => {
      const open = parts[i++];
      let inElse = false;
      for (;;) {
        const next = parts[i];
        if (next.kind === TT_END) {
          const what = open.kind === TT_IF ? "if" : "for";
          const closer = open.kind === TT_IF ? "endif" : "endfor";
          this.error(
            "Unexpected end of template",
            `The ${what} directive at ${this.where(this.range(open.start, open.end))} is missing its corresponding ${closer} directive.`,
            next.start,
            next.end,
          );
          return undefined;
        }
        if (next.kind === TT_ELSE || next.kind === TT_ENDIF || next.kind === TT_ENDFOR) {
          i++;
          if (open.kind === TT_IF && next.kind === TT_ELSE && !inElse) {
            inElse = true;
            continue;
          }
          if ((open.kind === TT_IF && next.kind === TT_ENDIF) || (open.kind === TT_FOR && next.kind === TT_ENDFOR)) {
            return this.build ? { kind: "other", range: this.range(open.start, next.end) } : OTHER_PLACEHOLDER;
          }
          this.error(
            `Unexpected ${directiveName(next.kind)} directive`,
            "The control directives within this template are unbalanced.",
            next.start,
            next.end,
          );
          return undefined;
        }
        parseItem();
      }
    };
    while (parts[i].kind !== TT_END) {
      const item = parseItem();
      if (item !== undefined && this.build) out.push(item);
    }
    return out;
  }
}

function directiveName(kind: number): string {
  return kind === TT_ELSE ? "else" : kind === TT_ENDIF ? "endif" : kind === TT_ENDFOR ? "endfor" : kind === TT_IF ? "if" : "for";
}
