import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkTemplateMessage } from '../../src/catalogue/check-template.js';
import { readCatalogue } from '../../src/catalogue/read-catalogue.js';
import type { Catalogue } from '../../src/catalogue/types.js';
import { loadSpec } from '../../src/message-spec/load-spec.js';
import { withTmpDir } from '../state/tmp-dir.js';

const CATALOGUE = `templates:
  - name: reminder
    language: [en_GB, de_DE]
    body: "Hi {{1}}, see you on {{2}}."
  - name: offer
    language: en_GB
    header: { kind: image }
    body: "Hi {{1}}"
    buttons:
      - { kind: url, text: Offer, url: "https://a.example/{{1}}" }
      - { kind: phone_number, text: Call us }
      - { kind: url, text: Terms, url: "https://a.example/terms" }
      - { kind: quick_reply, text: Stop }
  - name: shipped
    language: en_GB
    header: { kind: text, text: "Order {{1}}" }
    body: Your order is on its way.
  - name: hello
    language: en_GB
    header: { kind: text, text: Hello }
    body: Hello.
  - name: contract
    language: en_GB
    header: { kind: document }
    body: Your contract.
  - name: store
    language: en_GB
    header: { kind: location }
    body: Visit us.
  - name: clip
    language: en_GB
    header: { kind: video }
    body: Watch.
  - name: sale_paused
    language: en_GB
    category: marketing
    status: paused
    body: Sale.
  - name: sale_disabled
    language: en_GB
    status: disabled
    body: Sale.
  - name: sale_pending
    language: en_GB
    status: pending
    body: Sale.
  - name: sale_approved
    language: en_GB
    category: marketing
    status: approved
    body: Sale.
`;

const OFFER_BUTTONS = [
  '    buttons:',
  '      - { urlPlaceholder: A1 }',
  '      - { quickReplyPayload: STOP }',
];
const OFFER = [
  '  templateName: offer',
  '  language: en_GB',
  '  mediaTemplateData:',
  '    header: { imageUrl: "https://cdn.example/a.png" }',
  '    body: { placeholders: [Anna] }',
];

/** A spec with these whatsApp lines; each expected diagnostic is [code, text it points at (the first occurrence; `@2` the second)]. */
type Case = [string, string[], Array<[string, string]>];

const CASES: Case[] = [
  [
    'a message that fits its text template',
    ['  templateName: reminder', '  language: de_DE', '  templateData: [Anna, Monday]'],
    [],
  ],
  ['a message that fits its media template', [...OFFER, ...OFFER_BUTTONS], []],
  [
    'a text header with its parameter',
    [
      '  templateName: shipped',
      '  language: en_GB',
      '  mediaTemplateData: { header: { textPlaceholder: A-1 } }',
    ],
    [],
  ],
  [
    'a location header with both coordinates',
    [
      '  templateName: store',
      '  language: en_GB',
      '  mediaTemplateData: { header: { latitude: 47.1, longitude: 8.5 } }',
    ],
    [],
  ],
  [
    'an approved template (status: approved)',
    ['  templateName: sale_approved', '  language: en_GB'],
    [],
  ],
  [
    'a paused template',
    ['  templateName: sale_paused', '  language: en_GB'],
    [['template-not-approved', 'sale_paused']],
  ],
  [
    'a disabled template',
    ['  templateName: sale_disabled', '  language: en_GB'],
    [['template-not-approved', 'sale_disabled']],
  ],
  [
    'a pending template',
    ['  templateName: sale_pending', '  language: en_GB'],
    [['template-not-approved', 'sale_pending']],
  ],
  [
    'an unknown template',
    ['  templateName: remindr', '  language: en_GB', '  templateData: [Anna]'],
    [['template-unknown', 'remindr']],
  ],
  [
    'a language the template is not approved in',
    ['  templateName: reminder', '  language: fr_FR', '  templateData: [Anna, Lundi]'],
    [['template-language-unknown', 'fr_FR']],
  ],
  [
    'too few templateData items',
    ['  templateName: reminder', '  language: en_GB', '  templateData: [Anna]'],
    [['template-parameters', '[Anna]']],
  ],
  [
    'too many templateData items',
    ['  templateName: reminder', '  language: en_GB', '  templateData: [Anna, Monday, extra]'],
    [['template-parameters', '[Anna, Monday, extra]']],
  ],
  [
    'too many body placeholders',
    [
      '  templateName: offer',
      '  language: en_GB',
      '  mediaTemplateData:',
      '    header: { imageUrl: "https://cdn.example/a.png" }',
      '    body: { placeholders: [Anna, Ben] }',
      ...OFFER_BUTTONS,
    ],
    [['template-parameters', '[Anna, Ben]']],
  ],
  [
    'no parameters for a body that has some',
    ['  templateName: reminder', '  language: en_GB'],
    [['template-parameters', 'reminder']],
  ],
  [
    'a header on a template without one',
    [
      '  templateName: reminder',
      '  language: en_GB',
      '  templateData: [Anna, Monday]',
      '  mediaTemplateData: { header: { imageUrl: "https://cdn.example/a.png" } }',
    ],
    [['template-header', '{ imageUrl']],
  ],
  [
    'a document header (the API cannot send one)',
    ['  templateName: contract', '  language: en_GB'],
    [['template-header', 'contract']],
  ],
  [
    'header media of the wrong kind',
    [
      '  templateName: offer',
      '  language: en_GB',
      '  mediaTemplateData:',
      '    header: { videoUrl: "https://cdn.example/a.mp4" }',
      '    body: { placeholders: [Anna] }',
      ...OFFER_BUTTONS,
    ],
    [
      ['template-header', '"https://cdn.example/a.mp4"'],
      ['template-header', '{ videoUrl'],
    ],
  ],
  [
    'header media missing',
    [
      '  templateName: offer',
      '  language: en_GB',
      '  mediaTemplateData:',
      '    body: { placeholders: [Anna] }',
      ...OFFER_BUTTONS,
    ],
    [['template-header', 'body:']],
  ],
  [
    'a video header given an image',
    [
      '  templateName: clip',
      '  language: en_GB',
      '  mediaTemplateData: { header: { imageUrl: "https://cdn.example/a.png" } }',
    ],
    [
      ['template-header', '"https://cdn.example/a.png"'],
      ['template-header', '{ imageUrl'],
    ],
  ],
  [
    'a location header given a video',
    [
      '  templateName: store',
      '  language: en_GB',
      '  mediaTemplateData: { header: { videoUrl: "https://cdn.example/a.mp4" } }',
    ],
    [
      ['template-header', '"https://cdn.example/a.mp4"'],
      ['template-header', '{ videoUrl'],
    ],
  ],
  [
    'a text header parameter missing',
    ['  templateName: shipped', '  language: en_GB'],
    [['template-header', 'templateName']],
  ],
  [
    'a text header parameter the header does not have',
    [
      '  templateName: hello',
      '  language: en_GB',
      '  mediaTemplateData: { header: { textPlaceholder: Ben } }',
    ],
    [['template-header', 'Ben']],
  ],
  [
    'a button value missing',
    [...OFFER, '    buttons:', '      - { urlPlaceholder: A1 }'],
    [['template-buttons', '- { urlPlaceholder']],
  ],
  [
    'an extra button value',
    [...OFFER, ...OFFER_BUTTONS, '      - { urlPlaceholder: terms }'],
    [['template-buttons', '{ urlPlaceholder: terms }']],
  ],
  [
    'a button value of the wrong kind',
    [
      ...OFFER,
      '    buttons:',
      '      - { quickReplyPayload: A1 }',
      '      - { quickReplyPayload: STOP }',
    ],
    [['template-buttons', 'A1']],
  ],
  [
    'a button entry without a value',
    [...OFFER, '    buttons:', '      - {}', '      - { quickReplyPayload: STOP }'],
    [['template-buttons', '{}']],
  ],
  [
    'every problem of one message at once',
    [
      '  templateName: offer',
      '  language: en_GB',
      '  templateData: [a, b]',
      '  mediaTemplateData:',
      '    header: { textPlaceholder: x }',
      '    buttons: [{ quickReplyPayload: STOP }]',
    ],
    [
      ['template-parameters', '[a, b]'],
      ['template-header', 'x }'],
      ['template-header', '{ textPlaceholder'],
      ['template-buttons', 'STOP'],
      ['template-buttons', '[{ quickReplyPayload'],
    ],
  ],
];

/** 0-based line and column of the first (or `@n`-th) occurrence of `marker` in `text`. */
function positionOf(text: string, marker: string): string {
  const [needle = marker, nth = '1'] = marker.split('@');
  let offset = -1;
  for (let n = 0; n < Number(nth); n++) offset = text.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`marker ${marker} not in the spec`);
  const before = text.slice(0, offset).split('\n');
  return `${before.length - 1}:${(before.at(-1) ?? '').length}`;
}

async function withCatalogue<T>(fn: (catalogue: Catalogue, dir: string) => Promise<T>): Promise<T> {
  return withTmpDir(async (dir) => {
    await writeFile(join(dir, 'templates.yaml'), CATALOGUE);
    const { value, diagnostics } = await readCatalogue({
      path: join(dir, 'templates.yaml'),
      file: 'templates.yaml',
    });
    assert.equal(diagnostics, []);
    if (!value) throw new Error('no catalogue');
    return fn(value, dir);
  });
}

for (const [what, lines, expected] of CASES) {
  test(`template check: ${what}`, () =>
    withCatalogue(async (catalogue, dir) => {
      const text = `name: t\nrevision: 1\nwhatsApp:\n${lines.join('\n')}\nrecipients:\n  - phoneNumber: "+41 79 302 67 27"\n`;
      await writeFile(join(dir, 'spec.yaml'), text);
      const { value: doc, diagnostics } = await loadSpec(join(dir, 'spec.yaml'));
      assert.equal(diagnostics, [], 'the spec itself is valid');
      if (!doc) throw new Error('no spec');
      const found = checkTemplateMessage(doc.spec.whatsApp, catalogue, doc.locate).map(
        (d) => `${d.code}@${d.line ?? -1}:${d.column ?? -1}`,
      );
      assert.equal(
        found.sort(),
        expected.map(([code, marker]) => `${code}@${positionOf(text, marker)}`).sort(),
      );
    }));
}

test('the diagnostics say what the template expects', () =>
  withCatalogue(async (catalogue) => {
    const at = () => ({ file: 'spec.yaml', line: 0, column: 0 });
    const messages = (w: Parameters<typeof checkTemplateMessage>[0]) =>
      checkTemplateMessage(w, catalogue, at).map((d) => `${d.message} | ${d.hint ?? ''}`);
    assert.match(
      messages({ templateName: 'remindr', language: 'en_GB' })[0] ?? '',
      /template remindr is not in the approved templates \(templates\.yaml\) \| did you mean reminder\?/,
    );
    assert.match(
      messages({ templateName: 'zzz', language: 'en_GB' })[0] ?? '',
      /\| approved: clip, contract, hello, offer, reminder, sale_approved, sale_disabled, sale_paused, sale_pending, shipped, …$/,
    );
    assert.match(
      messages({ templateName: 'reminder', language: 'fr_FR' })[0] ?? '',
      /not approved in fr_FR \| approved in: en_GB, de_DE/,
    );
    assert.match(
      messages({ templateName: 'reminder', language: 'en_GB', templateData: ['a'] })[0] ?? '',
      /templateData has 1 item, but the body of reminder \(en_GB\) has 2 parameters \| the approved body: "Hi \{\{1\}\}, see you on \{\{2\}\}\."/,
    );
    const buttons = messages({
      templateName: 'offer',
      language: 'en_GB',
      mediaTemplateData: {
        header: { imageUrl: 'https://a.example/a.png' },
        body: { placeholders: ['a'] },
        buttons: [{ urlPlaceholder: 'x' }],
      },
    });
    assert.equal(buttons, [
      "offer (en_GB)'s button 'Stop' (button 4) takes a value, but the message gives none | add { quickReplyPayload: … } to mediaTemplateData.buttons",
    ]);
    assert.equal(
      checkTemplateMessage(
        { templateName: 'x', language: 'en' },
        catalogue,
        at,
        ', as rendered for 41793026727',
      ).map((d) => d.message.endsWith(', as rendered for 41793026727')),
      [true],
    );
  }));

test.run();
