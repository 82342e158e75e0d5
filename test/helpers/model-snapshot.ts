// A parsed file as plain data (every lazily built range and value read), for deep comparison of two models.
import type { Body, Expr, SourceFile } from "../../server/src/engine/model.ts";

/** Plain data of a body: its attributes' names, ranges and values, its blocks' headers, ranges, braces and bodies. */
export function snapshotBody(b: Body): unknown {
  const expr = (e: Expr): unknown => JSON.parse(JSON.stringify(e));
  return {
    attributes: b.attributes.map((a) => ({ name: a.name, nameRange: a.nameRange, range: a.range, expr: expr(a.expr) })),
    blocks: b.blocks.map((x) => ({
      type: x.type,
      labels: x.labels,
      headerRange: x.headerRange,
      range: x.range,
      openBraceEnd: x.openBraceEnd,
      closeBraceStart: x.closeBraceStart,
      body: snapshotBody(x.body),
    })),
  };
}

/** Plain data of a file's model: body, comments, syntax errors and line table. */
export function snapshotFile(file: SourceFile): unknown {
  return {
    body: snapshotBody(file.body),
    comments: file.comments,
    syntaxErrors: file.syntaxErrors,
    lineStarts: file.lineStarts,
  };
}
