// Seeded random edits as typing makes them, for tests that compare incremental work with a fresh start.

/**
 * A seeded generator (a linear congruential one, so runs repeat) and an editor drawing on it: each
 * edit inserts one of `inserts`, deletes up to 12 characters, or changes one character.
 */
export function seededEdits(seed: number, inserts: string[]): { random: () => number; mutate: (text: string) => string } {
  let state = seed;
  const random = () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const mutate = (text: string): string => {
    const at = Math.floor(random() * (text.length + 1));
    const r = random();
    if (r < 0.45) return text.slice(0, at) + inserts[Math.floor(random() * inserts.length)] + text.slice(at);
    if (r < 0.9) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(random() * 12)));
    return text.slice(0, at) + text.slice(at).replace(/\S/, "Z");
  };
  return { random, mutate };
}
