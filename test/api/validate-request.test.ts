import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateRequestBody, validateResponseBody } from '../../src/api/validate-request.js';

const body = (whatsApp: Record<string, unknown>, phoneNumber = '41793026727') => ({
  bulkId: 'A'.repeat(64),
  destinations: [{ messageId: '46dbab11-f9cc-4d32-852b-cbba988b7d08', to: { phoneNumber } }],
  whatsApp,
});

const keywordsAt = (b: unknown) =>
  validateRequestBody(b).map((e) => `${e.instancePath}:${e.keyword}`);

test('the reference example (with a real number) is valid', () => {
  assert.equal(
    validateRequestBody(body({ templateName: '1', templateData: [], language: 'zh_CN' })),
    [],
  );
});

test('URL limits: length and file type by extension', () => {
  assert.equal(keywordsAt(body({ imageUrl: 'https://a.example/x.PNG?v=2' })), []);
  assert.equal(keywordsAt(body({ imageUrl: 'https://a.example/x.gif' })), [
    '/whatsApp/imageUrl:pattern',
  ]);
  assert.equal(keywordsAt(body({ audioUrl: 'https://a.example/x.mp3' })), [
    '/whatsApp/audioUrl:pattern',
  ]);
  assert.equal(keywordsAt(body({ videoUrl: 'https://a.example/x.mov' })), [
    '/whatsApp/videoUrl:pattern',
  ]);
  const long = `https://a.example/${'x'.repeat(2040)}.png`;
  assert.equal(keywordsAt(body({ imageUrl: long })), ['/whatsApp/imageUrl:maxLength']);
});

test('coordinates, texts and placeholders', () => {
  assert.equal(keywordsAt(body({ latitude: 91, longitude: -181 })), [
    '/whatsApp/longitude:minimum',
    '/whatsApp/latitude:maximum',
  ]);
  assert.equal(keywordsAt(body({ locationName: 'x'.repeat(1001), latitude: 1, longitude: 1 })), [
    '/whatsApp/locationName:maxLength',
  ]);
  const empty = body({
    templateName: 't',
    language: 'en',
    mediaTemplateData: { body: { placeholders: [''] } },
  });
  assert.equal(keywordsAt(empty), ['/whatsApp/mediaTemplateData/body/placeholders/0:minLength']);
  const none = body({
    templateName: 't',
    language: 'en',
    mediaTemplateData: { body: { placeholders: [] } },
  });
  assert.equal(keywordsAt(none), []);
});

test('phone numbers are international digits; required fields and unknown fields', () => {
  assert.equal(keywordsAt(body({ text: 'hi' }, '155****8467')), [
    '/destinations/0/to/phoneNumber:pattern',
  ]);
  assert.equal(keywordsAt({ whatsApp: { text: 'x' }, destinations: [] }), [
    ':required',
    '/destinations:minItems',
  ]);
  assert.equal(keywordsAt(body({ text: 'x', colour: 'red' })), ['/whatsApp:additionalProperties']);
});

test('responses follow table 12', () => {
  const ok = {
    bulkId: '20221025',
    messages: [
      {
        messageId: '10011',
        to: { phoneNumber: '41793026727' },
        status: {
          groupName: 'PENDING',
          groupId: 1,
          name: 'PENDING_ACCEPTED',
          description: 'd',
          id: 26,
        },
      },
    ],
  };
  assert.equal(validateResponseBody(ok), []);
  assert.ok(validateResponseBody({ messages: [{ messageId: 'x' }] }).length > 0);
});

test.run();
