import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnslavismError } from './errors.js';
import { toClientEndpointUrl } from './masterUrl.js';

test('the client endpoint is appended to the master base URL as in Enslavism 0.9', () => {
  assert.equal(toClientEndpointUrl('ws://localhost:8081'), 'ws://localhost:8081/enslavism/clients');
  assert.equal(toClientEndpointUrl('wss://example.test/'), 'wss://example.test/enslavism/clients');
  assert.equal(toClientEndpointUrl('ws://127.0.0.1:5000/game'), 'ws://127.0.0.1:5000/game/enslavism/clients');
});

test('http and https become ws and wss; query kept, fragment dropped', () => {
  assert.equal(toClientEndpointUrl('http://127.0.0.1:5000'), 'ws://127.0.0.1:5000/enslavism/clients');
  assert.equal(toClientEndpointUrl('https://example.test/?t=1#x'), 'wss://example.test/enslavism/clients?t=1');
});

test('a URL that already names the endpoint is kept', () => {
  assert.equal(toClientEndpointUrl('ws://h:1/enslavism/clients'), 'ws://h:1/enslavism/clients');
});

test('bad URLs give a typed InvalidArgument error', () => {
  for (const bad of ['not a url', 'ftp://h/']) {
    assert.throws(() => toClientEndpointUrl(bad), (e: unknown) => e instanceof EnslavismError && e.reason === 'InvalidArgument');
  }
});
