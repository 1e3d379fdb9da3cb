import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fillTemplate } from '../../src/catalogue/fill-template.js';
import { fillPlaceholders } from '../../src/catalogue/placeholders.js';
import type { ApprovedTemplate } from '../../src/catalogue/types.js';

const OFFER: ApprovedTemplate = {
  name: 'offer',
  language: 'en_GB',
  header: { kind: 'text', text: 'Hello {{1}}' },
  body: 'Hi {{1}}, {{2}} off at {{3}}. {{1}}, be quick!',
  footer: 'Reply STOP to opt out',
  buttons: [
    { kind: 'phone_number', text: 'Call us', phoneNumber: '+41 44 000 00 00' },
    { kind: 'url', text: 'Offer', url: 'https://a.example/offer/{{1}}' },
    { kind: 'url', text: 'Terms', url: 'https://a.example/terms' },
    { kind: 'quick_reply', text: 'Stop' },
  ],
};

test('the body, header and buttons are filled as the phone shows them', () => {
  const filled = fillTemplate(OFFER, {
    templateName: 'offer',
    language: 'en_GB',
    mediaTemplateData: {
      header: { textPlaceholder: 'Anna' },
      body: { placeholders: ['Anna', '20%', 'Acme'] },
      buttons: [{ urlPlaceholder: 'A1' }, { quickReplyPayload: 'STOP' }],
    },
  });
  assert.equal(filled, {
    headerText: 'Hello Anna',
    body: 'Hi Anna, 20% off at Acme. Anna, be quick!',
    bodyFrom: 'placeholders',
    footer: 'Reply STOP to opt out',
    buttons: [
      { kind: 'phone_number', text: 'Call us', phoneNumber: '+41 44 000 00 00' },
      { kind: 'url', text: 'Offer', url: 'https://a.example/offer/A1' },
      { kind: 'url', text: 'Terms', url: 'https://a.example/terms' },
      { kind: 'quick_reply', text: 'Stop', payload: 'STOP' },
    ],
  });
});

test('without body placeholders the body comes from templateData; a parameter without a value stays {{n}}', () => {
  const filled = fillTemplate(OFFER, {
    templateName: 'offer',
    language: 'en_GB',
    templateData: ['Ben', '5%'],
  });
  assert.is(filled.bodyFrom, 'templateData');
  assert.is(filled.body, 'Hi Ben, 5% off at {{3}}. Ben, be quick!');
  assert.is(filled.headerText, 'Hello {{1}}');
  assert.is(fillTemplate(OFFER, { templateName: 'offer', language: 'en_GB' }).bodyFrom, 'none');
});

test('values are inserted as they are: no replacement patterns, no nested parameters', () => {
  assert.is(fillPlaceholders('{{1}} and {{2}}', ["$& $1 $'", '{{1}}']), "$& $1 $' and {{1}}");
});

test.run();
