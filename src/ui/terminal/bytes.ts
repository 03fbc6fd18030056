/**
 * The simulation's terminals carry byte strings (one char per byte, UTF-8 for human text):
 * convert at the edge between them and the page.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Byte string → bytes (for xterm.js, which decodes UTF-8 across chunk boundaries). */
export function byteStringToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Human text → byte string of its UTF-8 encoding. */
export function textToByteString(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  let out = '';
  for (const b of encoder.encode(text)) out += String.fromCharCode(b);
  return out;
}

/** Byte string → human text. */
export function byteStringToText(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return decoder.decode(byteStringToBytes(s));
}
