import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bulkIdFor, canonicalJson, contentHashOf, messageIdFor } from '../../src/api/identity.js';

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
  const h1 = contentHashOf({
    whatsApp: { text: 'hi', templateName: undefined },
    sendAt: undefined,
  });
  const h2 = contentHashOf({ whatsApp: { text: 'hi' } });
  assert.is(h1, h2);
  assert.is.not(contentHashOf({ whatsApp: { text: 'hi!' } }), h1);
  assert.is.not(contentHashOf({ whatsApp: { text: 'hi' }, scenarioKey: 'x' }), h1);
});

// Pinned values: ids and hashes are stored in state, so a faster implementation must not change them.
test('ids, bulkIds and content hashes keep their pinned values', () => {
  assert.is(messageIdFor('black-friday', 1, '41793026727'), 'a62d214c-2dfd-57f8-971e-57baa89231f8');
  assert.equal(
    Array.from({ length: 8 }, (_, i) => messageIdFor('s', i, `4179302672${i}`)),
    [
      'b0689790-afc2-59a8-912a-ef5b42cc9189',
      '7fa686d5-00d0-536d-b8f1-7da797682c44',
      'b26c0194-4763-5781-8c23-3608b05d8b51',
      '4160dead-97d9-5ce7-902e-a4232b6b4a69',
      'eb536c06-2dc6-58a9-956f-c91267879a8f',
      '35cc06de-8e2e-5909-a584-edfb2fbd090c',
      'a99718f2-65e4-5c92-8683-2ace18abb1f7',
      'a411a0e1-939c-560f-bf4c-b32a866ed3f2',
    ],
  );
  assert.is(
    bulkIdFor(['b', 'a']),
    '7E18F737311B2DC3B2F269DD78396B0351F14FB66EFA879F768CB23181883C78',
  );
  assert.is(
    bulkIdFor(['a62d214c-2dfd-57f8-971e-57baa89231f8']),
    '60B01250B0475470E63534B63F08FDD161D650F2115A351A11FA9A6873933F63',
  );
  const content = {
    whatsApp: {
      text: 'Grüezi "Anna"\n',
      mediaTemplate: {
        body: { placeholders: ['a', 'b'] },
        header: undefined,
        buttons: [{ type: 'QUICK_REPLY', parameter: 'STOP' }],
      },
      zeta: 1,
      Alpha: true,
      é: null,
    },
    sendAt: '2026-12-01T09:00:00+01:00',
  };
  assert.is(
    canonicalJson(content),
    '{"sendAt":"2026-12-01T09:00:00+01:00","whatsApp":{"Alpha":true,"mediaTemplate":{"body":{"placeholders":["a","b"]},"buttons":[{"parameter":"STOP","type":"QUICK_REPLY"}]},"text":"Grüezi \\"Anna\\"\\n","zeta":1,"é":null}}',
  );
  assert.is(
    contentHashOf(content),
    '00cbe38cd5e193eb2e6a396a8cd62aeac09d815a0c3e9a3592574e633b9312a4',
  );
});

test.run();
