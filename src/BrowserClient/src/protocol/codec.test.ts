import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromHex, fromVectorForm, malformed, toHex, toVectorForm, vectors } from '../testing/vectors.js';
import { decode } from './decode.js';
import { encode } from './encode.js';
import { SignalingErrorKind } from './signalingError.js';

describe('golden vectors: valid frames', () => {
  test('the vector file has every message type', () => {
    const types = new Set(vectors.map((v) => v.message.type));
    assert.equal(types.size, 13);
  });

  for (const vector of vectors) {
    test(`${vector.name} decodes to the described message`, () => {
      const result = decode(fromHex(vector.hex));
      assert.ok(result.ok, result.ok ? '' : `${result.error.kind}: ${result.error.detail}`);
      assert.deepEqual(toVectorForm(result.message), vector.message);
    });

    test(`${vector.name} ${vector.roundTrip === false ? 're-encodes canonically' : 're-encodes to the exact bytes'}`, () => {
      const result = decode(fromHex(vector.hex));
      assert.ok(result.ok);
      const reencoded = encode(result.message);
      if (vector.roundTrip === false) {
        assert.notEqual(toHex(reencoded), vector.hex);
        const again = decode(reencoded);
        assert.ok(again.ok);
        assert.deepEqual(toVectorForm(again.message), vector.message);
      } else {
        assert.equal(toHex(reencoded), vector.hex);
      }
    });

    if (vector.roundTrip !== false) {
      test(`${vector.name} encodes from its description to the exact bytes`, () => {
        assert.equal(toHex(encode(fromVectorForm(vector.message))), vector.hex);
      });
    }
  }
});

describe('golden vectors: malformed frames', () => {
  for (const vector of malformed) {
    test(`${vector.name} fails with ${vector.error}`, () => {
      const limits = vector.maxFrameBytes === undefined ? undefined : { maxFrameBytes: vector.maxFrameBytes };
      const result = decode(fromHex(vector.hex), limits);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.error.kind, vector.error);
        assert.ok(result.error.detail.length > 0);
      }
    });
  }

  test('every error kind name is one the C# codec uses', () => {
    for (const vector of malformed) assert.ok(Object.values(SignalingErrorKind).includes(vector.error as SignalingErrorKind));
  });
});
