// Decodes file bytes handed to the engine: rejects binary and non-UTF-8 data with a clear reason, strips a BOM.

export type DecodeResult = { ok: true; text: string; bom: boolean; crlf: boolean } | { ok: false; reason: string };

const decoder = new TextDecoder("utf-8", { fatal: true });

export function decodeSource(bytes: Uint8Array, maxBytes: number): DecodeResult {
  if (bytes.length > maxBytes) {
    return { ok: false, reason: `file is ${bytes.length} bytes, over the limit of ${maxBytes} (setting max_file_bytes)` };
  }
  if (bytes.includes(0)) return { ok: false, reason: "file contains NUL bytes (binary data), skipped" };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, reason: "file is not valid UTF-8 (Terraform and Packer read UTF-8 only), skipped" };
  }
  // TextDecoder drops a leading BOM by itself, so the bytes tell whether there was one.
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { ok: true, text, bom, crlf: text.includes("\r\n") };
}
