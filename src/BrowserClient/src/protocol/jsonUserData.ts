import { type SignalingError, SignalingErrorKind, signalingError } from './signalingError.js';
import { encodeUtf8, tryDecodeUtf8 } from './text.js';

/** Nesting allowed in user data; the same bound as the C# codec, so both sides accept the same frames. */
export const MAX_JSON_DEPTH = 64;

/** The u16 length field of a slave entry caps user data at 65535 UTF-8 bytes. */
export const MAX_USER_DATA_BYTES = 0xffff;

/**
 * User data: the JSON text exactly as it travelled (so re-encoding gives the same bytes) and its parsed value.
 * The text is authoritative: mutating `value` changes nothing on the wire.
 */
export class JsonUserData {
  /** The JSON text. */
  readonly json: string;
  /** `JSON.parse(json)`. */
  readonly value: unknown;

  private constructor(json: string, value: unknown) {
    this.json = json;
    this.value = value;
  }

  /** Serializes a value with `JSON.stringify`, as Enslavism 0.9 did. Throws a TypeError for values JSON cannot hold. */
  static fromValue(value: unknown): JsonUserData {
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) {
      throw new TypeError('User data must be a JSON value (not undefined, a function or a symbol).');
    }
    return new JsonUserData(json, JSON.parse(json));
  }

  /** Validates JSON text; throws a SyntaxError when it is not exactly one JSON value. */
  static parse(json: string): JsonUserData {
    const result = JsonUserData.tryParse(json);
    if (!result.ok) {
      throw new SyntaxError(`User data is not valid JSON (${result.error.kind}: ${result.error.detail}).`);
    }
    return result.userData;
  }

  /** Validates JSON text without throwing. */
  static tryParse(json: string): { ok: true; userData: JsonUserData } | { ok: false; error: SignalingError } {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (e) {
      return { ok: false, error: signalingError(SignalingErrorKind.InvalidJson, `user data is not JSON: ${(e as Error).message}`) };
    }
    if (exceedsDepth(json, MAX_JSON_DEPTH)) {
      return { ok: false, error: signalingError(SignalingErrorKind.InvalidJson, `user data nests deeper than ${MAX_JSON_DEPTH}`) };
    }
    return { ok: true, userData: new JsonUserData(json, value) };
  }

  /** Validates UTF-8 bytes, then the JSON they hold. */
  static tryFromUtf8(bytes: Uint8Array): { ok: true; userData: JsonUserData } | { ok: false; error: SignalingError } {
    const json = tryDecodeUtf8(bytes);
    if (json === undefined) {
      return { ok: false, error: signalingError(SignalingErrorKind.InvalidUtf8, 'user data is not valid UTF-8') };
    }
    return JsonUserData.tryParse(json);
  }

  /** The JSON text as UTF-8. */
  toUtf8(): Uint8Array {
    return encodeUtf8(this.json);
  }

  toString(): string {
    return this.json;
  }

  toJSON(): unknown {
    return this.value;
  }
}

/** Only called on text JSON.parse accepted, so brackets outside strings are structural. */
function exceedsDepth(json: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}
