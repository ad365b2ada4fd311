import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toHex } from '../testing/vectors.js';
import { decode } from './decode.js';
import { encode } from './encode.js';
import { JsonUserData, MAX_JSON_DEPTH } from './jsonUserData.js';
import { FROM_MASTER_MAX_FRAME_BYTES, fromMasterSignalingLimits } from './limits.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const frame = (type: number, body: string) => Uint8Array.of(type, ...utf8(body));
const kindOf = (bytes: Uint8Array) => {
  const r = decode(bytes);
  return r.ok ? 'ok' : r.error.kind;
};

describe('codec edge cases', () => {
  test('RemoveSlaves ids: only plain decimal integers in the u32 range', () => {
    assert.equal(kindOf(frame(2, '[4294967295]')), 'ok');
    for (const body of ['[1.0]', '[1e2]', '[-0]', '["1"]', '[[1]]', '[null]', '[true]', '[4294967296]', '{}', '1']) {
      assert.equal(kindOf(frame(2, body)), 'InvalidValue', body);
    }
    for (const body of ['[01]', '[1,]', '[', '']) assert.equal(kindOf(frame(2, body)), 'InvalidJson', body);
  });

  test('user data nesting is bounded like the C# reader', () => {
    const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
    assert.equal(kindOf(frame(0, nested(MAX_JSON_DEPTH))), 'ok');
    assert.equal(kindOf(frame(0, nested(MAX_JSON_DEPTH + 1))), 'InvalidJson');
    // Brackets inside strings do not count.
    assert.equal(kindOf(frame(0, JSON.stringify({ s: '['.repeat(200) }))), 'ok');
  });

  test('a UTF-8 byte order mark is kept, so it is refused as JSON instead of silently dropped', () => {
    assert.equal(kindOf(Uint8Array.of(0, 0xef, 0xbb, 0xbf, 0x7b, 0x7d)), 'InvalidJson');
    const sdp = Uint8Array.of(3, 0, 0, 0, 1, 0xef, 0xbb, 0xbf, 0x76);
    const r = decode(sdp);
    assert.ok(r.ok);
    assert.equal(toHex(encode(r.message)), toHex(sdp));
  });

  test('overlong and surrogate UTF-8 is refused', () => {
    assert.equal(kindOf(Uint8Array.of(5, 0, 0, 0, 1, 0xc0, 0xaf)), 'InvalidUtf8');
    assert.equal(kindOf(Uint8Array.of(5, 0, 0, 0, 1, 0xed, 0xa0, 0x80)), 'InvalidUtf8');
  });

  test('user data keeps its exact text, whitespace included', () => {
    const r = decode(frame(0, ' { "a" : 1 } '));
    assert.ok(r.ok && r.message.type === 'Register');
    assert.equal(r.message.userData.json, ' { "a" : 1 } ');
    assert.deepEqual(r.message.userData.value, { a: 1 });
  });

  test('the client limit accepts a large snapshot that the default limit refuses', () => {
    const big = new Uint8Array(100_000);
    big[0] = 3;
    assert.equal(kindOf(big), 'TooLarge');
    assert.ok(decode(big, fromMasterSignalingLimits).ok);
    assert.equal(fromMasterSignalingLimits.maxFrameBytes, FROM_MASTER_MAX_FRAME_BYTES);
  });

  test('decode accepts an ArrayBuffer and a Uint8Array view with an offset', () => {
    const backing = Uint8Array.of(9, 9, 12, 0, 0, 0, 7, 9);
    const view = backing.subarray(2, 7);
    const a = decode(view);
    const b = decode(view.slice().buffer);
    assert.deepEqual(a, { ok: true, message: { type: 'RejectFromSlave', id: 7 } });
    assert.deepEqual(b, a);
  });

  test('encode refuses values the wire cannot carry', () => {
    assert.throws(() => encode({ type: 'RejectToClient', id: -1 }), RangeError);
    assert.throws(() => encode({ type: 'RejectToClient', id: 2 ** 32 }), RangeError);
    assert.throws(() => encode({ type: 'RemoveSlaves', ids: [1.5] }), RangeError);
    assert.throws(() => encode({ type: 'IceCandidateToSlave', id: 1, candidate: { sdpMid: '', sdpMLineIndex: 0, candidate: 'c' } }), RangeError);
    assert.throws(() => encode({ type: 'IceCandidateToSlave', id: 1, candidate: { sdpMid: 'm'.repeat(256), sdpMLineIndex: 0, candidate: 'c' } }), RangeError);
    assert.throws(() => encode({ type: 'IceCandidateToSlave', id: 1, candidate: { sdpMid: '0', sdpMLineIndex: 65536, candidate: 'c' } }), RangeError);
    const huge = JsonUserData.fromValue('x'.repeat(65534));
    assert.throws(() => encode({ type: 'AddSlaves', slaves: [{ id: 1, userData: huge }] }), RangeError);
  });

  test('JsonUserData factories', () => {
    assert.equal(JsonUserData.fromValue({ b: [1, 'é'] }).json, '{"b":[1,"é"]}');
    assert.throws(() => JsonUserData.fromValue(undefined), TypeError);
    assert.throws(() => JsonUserData.parse('{'), SyntaxError);
    assert.equal(JSON.stringify({ u: JsonUserData.parse('[1]') }), '{"u":[1]}');
  });
});
