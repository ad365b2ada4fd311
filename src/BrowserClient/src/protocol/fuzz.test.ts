import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHex, toHex, vectors } from '../testing/vectors.js';
import { decode } from './decode.js';
import { encode } from './encode.js';
import { SignalingErrorKind } from './signalingError.js';

// Deterministic (xorshift32) so a failure can be replayed from the printed seed.
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const kinds = new Set<string>(Object.values(SignalingErrorKind));

function check(bytes: Uint8Array, label: string): void {
  let result;
  try {
    result = decode(bytes);
  } catch (e) {
    assert.fail(`${label}: decode threw ${String(e)} for ${toHex(bytes)}`);
  }
  if (!result.ok) {
    assert.ok(kinds.has(result.error.kind), `${label}: unknown kind ${result.error.kind}`);
    return;
  }
  // Whatever decodes must encode, and decode again to the same message.
  const again = decode(encode(result.message));
  assert.ok(again.ok, `${label}: re-encoded frame did not decode`);
  assert.deepEqual(JSON.stringify(again.message), JSON.stringify(result.message), `${label}: ${toHex(bytes)}`);
}

test('random frames never throw (bounded: 20000 frames)', () => {
  const seed = 0x5eed;
  const next = rng(seed);
  for (let i = 0; i < 20_000; i++) {
    const length = Math.floor(next() * 40);
    const bytes = new Uint8Array(length);
    for (let j = 0; j < length; j++) bytes[j] = Math.floor(next() * 256);
    if (length > 0) bytes[0] = Math.floor(next() * 15); // mostly known types, sometimes unknown ones
    check(bytes, `seed ${seed} frame ${i}`);
  }
});

test('mutated golden vectors never throw (bounded: 400 mutations per vector)', () => {
  const seed = 0xc0ffee;
  const next = rng(seed);
  for (const vector of vectors) {
    const original = fromHex(vector.hex);
    if (original.length > 4096) continue; // the 64 KiB vector adds time, not coverage
    for (let i = 0; i < 400; i++) {
      let bytes = original.slice();
      const op = Math.floor(next() * 4);
      const at = Math.floor(next() * Math.max(1, bytes.length));
      if (op === 0 && bytes.length > 0) bytes[at] = Math.floor(next() * 256);
      else if (op === 1) bytes = bytes.slice(0, at);
      else if (op === 2) bytes = Uint8Array.from([...bytes.slice(0, at), Math.floor(next() * 256), ...bytes.slice(at)]);
      else if (bytes.length > 0) bytes[at] = (bytes[at] as number) ^ (1 << Math.floor(next() * 8));
      check(bytes, `${vector.name} mutation ${i} (seed ${seed})`);
    }
  }
});
