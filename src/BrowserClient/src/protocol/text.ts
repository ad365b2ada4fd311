// ignoreBOM keeps a leading U+FEFF in the text, so decoding then encoding gives back the exact bytes.
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** Decodes UTF-8; `undefined` when the bytes are not valid UTF-8 (overlong forms, surrogates, truncated sequences). */
export function tryDecodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}
