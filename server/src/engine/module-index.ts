// Lookups into one module's top-level blocks and locals, built once per module: rules ask per finding, and a scan per question would make lint quadratic in findings.
import type { Attribute, Block, SourceFile } from "./model.ts";

export interface TopBlock {
  block: Block;
  file: SourceFile;
}

export class ModuleIndex {
  private all: TopBlock[] | undefined;
  private byType: Map<string, TopBlock[]> | undefined;
  private byLabels: Map<string, TopBlock> | undefined;
  private locals: Map<string, { attribute: Attribute; file: SourceFile }> | undefined;

  /** `blocks`: the module's top-level blocks with their files, in file order, asked for once, on first use. */
  constructor(private readonly blocks: () => TopBlock[]) {}

  /** Every top-level block with its file, in file order; or those of one type. */
  topBlocks(type?: string): readonly TopBlock[] {
    this.all ??= this.blocks();
    if (type === undefined) return this.all;
    if (!this.byType) {
      // One pass sorts every type, so that asking for a second type costs nothing more.
      this.byType = new Map();
      for (const b of this.all) {
        const list = this.byType.get(b.block.type);
        if (list) list.push(b);
        else this.byType.set(b.block.type, [b]);
      }
    }
    return this.byType.get(type) ?? NONE;
  }

  /** The first top-level block of `type` with exactly these labels (`data "aws_ami" "web"`, `variable "image"`). */
  findTopBlock(type: string, labels: string[]): TopBlock | undefined {
    if (!this.byLabels) {
      this.byLabels = new Map();
      for (const b of this.topBlocks()) {
        const key = labelKey(b.block.type, b.block.labels);
        if (!this.byLabels.has(key)) this.byLabels.set(key, b);
      }
    }
    return this.byLabels.get(labelKey(type, labels));
  }

  /** The first definition of `local.<name>` in the module's `locals` blocks. */
  findLocal(name: string): { attribute: Attribute; file: SourceFile } | undefined {
    if (!this.locals) {
      this.locals = new Map();
      for (const { block, file } of this.topBlocks("locals")) {
        for (const attribute of block.body.attributes)
          if (!this.locals.has(attribute.name)) this.locals.set(attribute.name, { attribute, file });
      }
    }
    return this.locals.get(name);
  }
}

const NONE: readonly TopBlock[] = Object.freeze([]);

const labelKey = (type: string, labels: readonly string[]) => [type, ...labels].join("\0");
