/**
 * Data carried in a link (an experiment in `#x=`, a lesson in `?lesson-data=`): the bytes
 * deflated (raw DEFLATE, the browser's CompressionStream) and written as base64url, so the
 * text survives URLs without escaping.
 */

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

export async function encodeLinkData(bytes: Uint8Array): Promise<string> {
  return toBase64Url(await pipe(bytes, new CompressionStream('deflate-raw')));
}

/** Throws on text that is not base64url or bytes that are not a deflate stream. */
export async function decodeLinkData(text: string): Promise<Uint8Array> {
  return pipe(fromBase64Url(text), new DecompressionStream('deflate-raw'));
}
