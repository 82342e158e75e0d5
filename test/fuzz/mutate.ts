// Seeded random numbers and the byte-level mutations the fuzzer applies to corpus files.

/**
 * A small seeded generator (mulberry32). Every run with the same seed makes the same choices,
 * which is what lets a crash be reproduced from its seed and iteration alone.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Mixes a run seed and an iteration number into the seed of that iteration, so one iteration can be replayed alone. */
export function iterationSeed(seed: number, iteration: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ iteration, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * HCL tokens and fragments worth inserting: brackets, quotes, template openers, heredoc starts,
 * comment openers, names the rules look for, a large negative number, and characters whose UTF-16
 * length differs from their UTF-8 length (column arithmetic is where such files go wrong).
 */
export const TOKENS: readonly string[] = [
  "{",
  "}",
  "[",
  "]",
  "(",
  ")",
  '"',
  "${",
  "%{",
  "}",
  "<<EOT\n",
  "\nEOT\n",
  "<<-EOT\n",
  "=",
  ":",
  ",",
  ".",
  "*",
  "#",
  "//",
  "/*",
  "*/",
  "\n",
  "\r\n",
  "\t",
  " ",
  "\\",
  "-1e9",
  "0x",
  "1.5e+308",
  "?",
  "=>",
  "...",
  "!",
  "resource",
  "data",
  "variable",
  "locals",
  "lifecycle",
  "create_before_destroy",
  "true",
  "false",
  "null",
  "var.image",
  "local.x",
  "each.key",
  "count.index",
  "source",
  "build",
  "provisioner",
  "image",
  "latest",
  "$Latest",
  "aws_instance",
  "launch_template",
  "version",
  "for",
  "in",
  "if",
  "endif",
  "endfor",
  "# immutably-ignore: require-create-before-destroy\n",
  "# immutably-ignore-file: hcl-syntax\n",
  'resource "aws_instance" "x" {\n',
  "lifecycle {\n  create_before_destroy = false\n}\n",
  "é",
  "😀",
  "\u2028",
  "\u00a0",
  "\ufeff",
];

/** Byte sequences that are not valid UTF-8: lone continuation, overlong, surrogate, truncated, 0xFF. */
const INVALID_UTF8: readonly number[][] = [
  [0x80],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xff],
  [0xfe, 0xff],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

const encoder = new TextEncoder();

function splice(bytes: Uint8Array, start: number, deleteCount: number, insert: Uint8Array = new Uint8Array()): Uint8Array {
  const out = new Uint8Array(bytes.length - deleteCount + insert.length);
  out.set(bytes.subarray(0, start), 0);
  out.set(insert, start);
  out.set(bytes.subarray(start + deleteCount), start + insert.length);
  return out;
}

/** Replaces every occurrence of one byte sequence by another. */
function replaceAll(bytes: Uint8Array, from: number[], to: number[]): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (from.every((b, k) => bytes[i + k] === b)) {
      out.push(...to);
      i += from.length - 1;
    } else out.push(bytes[i]);
  }
  return Uint8Array.from(out);
}

/** A span length: mostly short (token-sized), sometimes up to a tenth of the file. */
function spanLength(prng: Prng, size: number): number {
  return prng.chance(0.8) ? 1 + prng.below(16) : 1 + prng.below(Math.max(1, Math.floor(size / 10)));
}

type Mutator = (bytes: Uint8Array, prng: Prng) => { bytes: Uint8Array; step: string };

/** The mutations with their weights: text-shaped changes dominate so most inputs still decode. */
const MUTATORS: ReadonlyArray<[number, string, Mutator]> = [
  [
    20,
    "delete",
    (b, p) => {
      const start = p.below(b.length + 1);
      const n = Math.min(spanLength(p, b.length), b.length - start);
      return { bytes: splice(b, start, n), step: `delete ${n}@${start}` };
    },
  ],
  [
    35,
    "insert",
    (b, p) => {
      const at = p.below(b.length + 1);
      const token = p.pick(TOKENS);
      return { bytes: splice(b, at, 0, encoder.encode(token)), step: `insert ${JSON.stringify(token)}@${at}` };
    },
  ],
  [
    8,
    "truncate",
    (b, p) => {
      const at = p.below(b.length + 1);
      return { bytes: b.slice(0, at), step: `truncate@${at}` };
    },
  ],
  [
    12,
    "duplicate",
    (b, p) => {
      const start = p.below(b.length + 1);
      const n = Math.min(spanLength(p, b.length), b.length - start);
      const at = p.below(b.length + 1);
      return { bytes: splice(b, at, 0, b.slice(start, start + n)), step: `duplicate ${n}@${start}->${at}` };
    },
  ],
  [
    4,
    "invalid-utf8",
    (b, p) => {
      const at = p.below(b.length + 1);
      const seq = p.pick(INVALID_UTF8);
      return { bytes: splice(b, at, 0, Uint8Array.from(seq)), step: `invalid-utf8 ${seq.map((x) => x.toString(16)).join(" ")}@${at}` };
    },
  ],
  [
    3,
    "nul",
    (b, p) => {
      const at = p.below(b.length + 1);
      return { bytes: splice(b, at, 0, Uint8Array.of(0)), step: `nul@${at}` };
    },
  ],
  [
    9,
    "crlf",
    (b) => {
      const hasCrlf = b.some((x, i) => x === 13 && b[i + 1] === 10);
      return hasCrlf
        ? { bytes: replaceAll(b, [13, 10], [10]), step: "crlf->lf" }
        : { bytes: replaceAll(b, [10], [13, 10]), step: "lf->crlf" };
    },
  ],
  [
    9,
    "bom",
    (b) => {
      const hasBom = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
      return hasBom ? { bytes: b.slice(3), step: "bom-" } : { bytes: splice(b, 0, 0, Uint8Array.of(0xef, 0xbb, 0xbf)), step: "bom+" };
    },
  ],
];

const TOTAL_WEIGHT = MUTATORS.reduce((s, [w]) => s + w, 0);

/** Applies one to four mutations (fewer more often) and returns the result with a log of what was done. */
export function mutate(input: Uint8Array, prng: Prng): { bytes: Uint8Array; steps: string[] } {
  let bytes = input;
  const steps: string[] = [];
  const count = 1 + (prng.chance(0.5) ? 0 : prng.chance(0.5) ? 1 : prng.chance(0.5) ? 2 : 3);
  for (let i = 0; i < count; i++) {
    let roll = prng.below(TOTAL_WEIGHT);
    for (const [weight, , fn] of MUTATORS) {
      if (roll < weight) {
        const r = fn(bytes, prng);
        bytes = r.bytes;
        steps.push(r.step);
        break;
      }
      roll -= weight;
    }
  }
  return { bytes, steps };
}
