// FrameFilter on its own: valid frames pass unchanged however the bytes are split; a broken frame is dropped with a reason and the next one read.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FrameFilter } from "../../server/src/lsp/frames.ts";

const frame = (body: string, header = `Content-Length: ${Buffer.byteLength(body)}`) => `${header}\r\n\r\n${body}`;

/** Feeds `input` to a filter in chunks of `size` bytes; returns what passed and what was dropped. */
function filter(input: string, size: number): { passed: string; dropped: string[] } {
  const dropped: string[] = [];
  const f = new FrameFilter((why) => dropped.push(why));
  const out: Buffer[] = [];
  f.on("data", (b: Buffer) => out.push(b));
  const bytes = Buffer.from(input);
  for (let i = 0; i < bytes.length; i += size) f.write(bytes.subarray(i, i + size));
  return { passed: Buffer.concat(out).toString(), dropped };
}

describe("FrameFilter", () => {
  const a = frame('{"jsonrpc":"2.0","method":"a","params":{"text":"Content-Length: 5 in a string ☃"}}');
  const bBody = '{"jsonrpc":"2.0","id":1,"method":"b"}';
  const b = frame(bBody, `Content-Length: ${bBody.length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8`);

  for (const size of [1, 7, 4096]) {
    it(`passes valid frames through unchanged in chunks of ${size} bytes`, () => {
      assert.deepEqual(filter(a + b + a, size), { passed: a + b + a, dropped: [] });
    });

    it(`drops broken frames and reads the next one, in chunks of ${size} bytes`, () => {
      const broken = [
        frame("{}", "Content-Length: abc"),
        frame('{"x":1}', "Content-Type: application/json"),
        frame("{}", "Content-Length 2"),
        frame('{"x":1}', "Content-Length: 100000"),
        `${"x".repeat(9000)}`,
      ];
      const { passed, dropped } = filter(broken.join(a) + a, size);
      assert.equal(passed, a.repeat(broken.length));
      assert.deepEqual(dropped.slice(0, 4), [
        'a Content-Length that is not a number ("abc")',
        "a frame without a Content-Length",
        'a header line without a colon ("Content-Length 2")',
        "a frame whose Content-Length (100000) is longer than its body",
      ]);
      // Stray bytes before a header: seen as a header too long, or (when the header's end came in the same chunk) one without a Content-Length.
      assert.equal(dropped.length, 5);
      assert.match(dropped[4], /^a header without an end$|^a frame without a Content-Length$/);
    });
  }
});
