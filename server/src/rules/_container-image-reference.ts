// Container image references for pinned-container-image: whether one is pinned, what to say when not, and decoding the quoted strings they are written in.

/** Marks a part of an image reference that could not be resolved (an unknown variable, a call). */
export const HOLE = "\u0000";

/** Why an image reference is not pinned, or undefined when it is (or cannot be known). */
export type Problem = "latest" | "untagged" | "no-digest";

/**
 * Classifies an image reference `[host[:port]/]path[:tag][@digest]`. Parts that could not be
 * resolved are HOLEs: only what follows the last hole decides, so `${var.registry}/app` is
 * untagged and `${var.repo}:latest` uses latest, while `app:${var.tag}` is unknown.
 */
export function classifyImage(image: string, requireDigest: boolean): Problem | undefined {
  const hole = image.lastIndexOf(HOLE);
  const known = hole >= 0 ? image.slice(hole + 1) : image.trim();
  if (hole < 0 && known === "") return undefined;
  // A digest pins the content whatever the tag says.
  if (known.includes("@")) return undefined;
  const slash = known.lastIndexOf("/");
  const lastSegment = known.slice(slash + 1);
  const colon = lastSegment.lastIndexOf(":");
  let tag: string | undefined;
  if (colon >= 0) tag = lastSegment.slice(colon + 1);
  else if (hole >= 0 && slash < 0) return undefined; // `${var.name}-app`: the hole may hold the tag.
  if (tag === "") return undefined; // `app:${var.tag}` with the tag unknown.
  if (tag === undefined) return "untagged";
  if (tag === "latest") return "latest";
  return requireDigest ? "no-digest" : undefined;
}

/** The finding's message for an image reference that is not pinned. */
export function describeProblem(image: string, problem: Problem): string {
  const shown = `"${image.replaceAll(HOLE, "${…}")}"`;
  switch (problem) {
    case "latest":
      return `Container image ${shown} uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.`;
    case "untagged":
      return `Container image ${shown} has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.`;
    case "no-digest":
      return `Container image ${shown} is not pinned by digest (@sha256:…): a tag can be moved to other content (option requireDigest). Add the digest of the image you tested.`;
  }
}

/** Maps offsets in the decoded text of a quoted string token back to offsets in the file. */
export interface DecodedString {
  text: string;
  /** offsets[i] is the file offset where decoded character i starts; offsets[text.length] is the closing quote. */
  offsets: number[];
}

/** Decodes a quoted HCL or JSON string token (escapes, `$${`), copying interpolations verbatim. */
export function decodeQuoted(fileText: string, start: number, end: number): DecodedString {
  let text = "";
  const offsets: number[] = [];
  const push = (s: string, at: number) => {
    for (const ch of s) {
      offsets.push(at);
      text += ch;
    }
  };
  let i = start + 1;
  const last = end - 1;
  while (i < last) {
    const c = fileText[i];
    if (c === "\\" && i + 1 < last) {
      const n = fileText[i + 1];
      const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", '"': '"', "\\": "\\", "/": "/" };
      if (n in simple) {
        push(simple[n], i);
        i += 2;
      } else if (n === "u") {
        push(String.fromCodePoint(parseInt(fileText.slice(i + 2, i + 6), 16)), i);
        i += 6;
      } else {
        push(c, i);
        i++;
      }
    } else if ((c === "$" || c === "%") && fileText[i + 1] === c && fileText[i + 2] === "{") {
      push(c + "{", i);
      i += 3;
    } else {
      push(c, i);
      i++;
    }
  }
  offsets.push(last);
  return { text, offsets };
}
