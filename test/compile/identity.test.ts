import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bulkIdFor, contentHashOf, messageIdFor } from '../../src/compile/identity.js';

test('messageId is a stable UUID of (spec, revision, phone)', () => {
  const id = messageIdFor('black-friday', 1, '41793026727');
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is(messageIdFor('black-friday', 1, '41793026727'), id);
  assert.is.not(messageIdFor('black-friday', 2, '41793026727'), id);
  assert.is.not(messageIdFor('black-friday', 1, '41793026728'), id);
  // Pinned: ids must never change between versions, or re-runs would send again.
  assert.is(id, 'a62d214c-2dfd-57f8-971e-57baa89231f8');
});

test('bulkId is 64 uppercase hex and independent of order', () => {
  const a = bulkIdFor(['b', 'a']);
  assert.match(a, /^[0-9A-F]{64}$/);
  assert.is(bulkIdFor(['a', 'b']), a);
  assert.is.not(bulkIdFor(['a']), a);
});

test('content hash ignores key order and undefined fields', () => {
  const h1 = contentHashOf({ whatsApp: { text: 'hi', templateName: undefined }, sendAt: undefined });
  const h2 = contentHashOf({ whatsApp: { text: 'hi' } });
  assert.is(h1, h2);
  assert.is.not(contentHashOf({ whatsApp: { text: 'hi!' } }), h1);
  assert.is.not(contentHashOf({ whatsApp: { text: 'hi' }, scenarioKey: 'x' }), h1);
});

test.run();
