import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdir, open, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCatalogue } from '../../src/catalogue/read-catalogue.js';
import { templateKey } from '../../src/catalogue/types.js';
import { withTmpDir } from '../state/tmp-dir.js';

/** The catalogue read from a file with this text: its diagnostics as code@line:column (1-based) and message. */
async function read(text: string) {
  return withTmpDir(async (dir) => {
    const path = join(dir, 'templates.yaml');
    await writeFile(path, text);
    const result = await readCatalogue({ path, file: 'templates.yaml' });
    return {
      ...result,
      found: result.diagnostics.map(
        (d) => `${d.code}@${(d.line ?? -1) + 1}:${(d.column ?? -1) + 1} ${d.message}`,
      ),
    };
  });
}

test('a catalogue is read into templates by name and language, with the header none when absent', async () => {
  const { value, diagnostics } = await read(
    'templates:\n  - name: promo\n    language: [en_GB, en_US]\n    body: "Hi {{1}}"\n  - name: promo\n    language: de_DE\n    header: { kind: image }\n    body: "Hallo {{1}}"\n    footer: Tschüss\n',
  );
  assert.equal(diagnostics, []);
  assert.equal(value?.languages.get('promo'), ['en_GB', 'en_US', 'de_DE']);
  assert.equal(value?.templates.get(templateKey('promo', 'en_US')), {
    name: 'promo',
    language: 'en_US',
    header: { kind: 'none' },
    body: 'Hi {{1}}',
    buttons: [],
  });
  assert.equal(value?.templates.get(templateKey('promo', 'de_DE'))?.footer, 'Tschüss');
  assert.match(value?.digest ?? '', /^[0-9a-f]{64}$/);
});

// Each bad catalogue is refused with its problem at the line and column of the value (or key) at fault.
const BAD: Array<[string, string, string, RegExp]> = [
  [
    'an unknown field',
    'templates:\n  - name: promo\n    language: en\n    body: Hi\n    colour: red\n',
    'templates-invalid@5:5',
    /unknown field 'colour'/,
  ],
  [
    'a name WhatsApp does not allow',
    'templates:\n  - name: Promo Offer\n    language: en\n    body: Hi\n',
    'templates-invalid@2:11',
    /lowercase letters, digits and '_'/,
  ],
  [
    'a language that is not a code',
    'templates:\n  - name: promo\n    language: [en_GB, english]\n    body: Hi\n',
    'templates-invalid@3:23',
    /WhatsApp language code/,
  ],
  [
    'no body',
    'templates:\n  - name: promo\n    language: en\n',
    'templates-invalid@2:5',
    /required field 'body'/,
  ],
  [
    'an unknown header kind',
    'templates:\n  - name: promo\n    language: en\n    body: Hi\n    header: { kind: audio }\n',
    'templates-invalid@5:21',
    /must be one of: none, text, image, video, document, location/,
  ],
  [
    'a text header without its text',
    'templates:\n  - name: promo\n    language: en\n    body: Hi\n    header: { kind: text }\n',
    'templates-invalid@5:13',
    /required field 'text'/,
  ],
  [
    'a url button without its url',
    'templates:\n  - name: promo\n    language: en\n    body: Hi\n    buttons:\n      - { kind: url, text: Go }\n',
    'templates-invalid@6:9',
    /required field 'url'/,
  ],
  [
    'a button label over 25 characters',
    `templates:\n  - name: promo\n    language: en\n    body: Hi\n    buttons:\n      - { kind: quick_reply, text: ${'x'.repeat(26)} }\n`,
    'templates-invalid@6:36',
    /at most 25 characters/,
  ],
  [
    'templates not a list',
    'templates: { name: promo }\n',
    'templates-invalid@1:12',
    /must be a list/,
  ],
  [
    'a language listed twice',
    'templates:\n  - name: promo\n    language: [en, en]\n    body: Hi\n',
    'templates-invalid@3:15',
    /lists the same language twice/,
  ],
  [
    'a gap in the body parameters',
    'templates:\n  - name: promo\n    language: en\n    body: "Hi {{1}}, {{3}}"\n',
    'templates-invalid@4:11',
    /uses \{\{3\}\} but not \{\{2\}\}/,
  ],
  [
    'a named parameter',
    'templates:\n  - name: promo\n    language: en\n    body: "Hi {{name}}"\n',
    'templates-invalid@4:11',
    /has \{\{name\}\}: WhatsApp parameters are numbered/,
  ],
  [
    'a header text with {{2}}',
    'templates:\n  - name: promo\n    language: en\n    body: Hi\n    header: { kind: text, text: "A {{2}}" }\n',
    'templates-invalid@5:33',
    /may have one parameter, \{\{1\}\}/,
  ],
  [
    'header text on an image header',
    'templates:\n  - name: promo\n    language: en\n    body: Hi\n    header: { kind: image, text: A }\n',
    'templates-invalid@5:34',
    /only for a text header/,
  ],
  [
    'a url with two parameters',
    'templates:\n  - name: promo\n    language: en\n    body: Hi\n    buttons:\n      - { kind: url, text: Go, url: "https://a.example/{{1}}/{{1}}" }\n',
    'templates-invalid@6:37',
    /may have one parameter/,
  ],
  [
    'a url on a quick reply',
    'templates:\n  - name: promo\n    language: en\n    body: Hi\n    buttons:\n      - { kind: quick_reply, text: Go, url: "https://a.example/" }\n',
    'templates-invalid@6:45',
    /url is only for a url button/,
  ],
  [
    'a parameter in the footer',
    'templates:\n  - name: promo\n    language: en\n    body: Hi\n    footer: "Bye {{1}}"\n',
    'templates-invalid@5:13',
    /footers have none/,
  ],
  [
    'a template listed twice in one language',
    'templates:\n  - name: promo\n    language: en\n    body: Hi\n  - name: promo\n    language: [de, en]\n    body: Hallo\n',
    'templates-invalid@6:20',
    /promo in en is listed twice \(first on line 3\)/,
  ],
  ['malformed YAML', 'templates:\n  - name: "promo\n', 'yaml-syntax@3:1', /./],
  [
    'a duplicate key',
    'templates:\n  - name: promo\n    name: other\n    language: en\n    body: Hi\n',
    'yaml-duplicate-key@3:5',
    /./,
  ],
  [
    'a __proto__ key',
    'templates:\n  - __proto__: { polluted: true }\n',
    'forbidden-key@2:5',
    /__proto__/,
  ],
  ['two YAML documents', 'templates: []\n---\ntemplates: []\n', 'yaml-syntax@2:1', /./],
  ['an empty file', '# nothing approved yet\n', 'templates-invalid@1:1', /is empty/],
  [
    'an alias bomb',
    `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from(
      { length: 6 },
      (_, i) =>
        `${'bcdefg'.charAt(i)}: &${'bcdefg'.charAt(i)} [${Array(10)
          .fill(`*${'abcdef'.charAt(i)}`)
          .join(', ')}]`,
    ).join('\n')}\n`,
    'yaml-alias-limit@2:8',
    /too many YAML aliases/,
  ],
];

for (const [what, text, where, message] of BAD) {
  test(`a catalogue with ${what} is refused at its line and column`, async () => {
    const { value, found } = await read(text);
    assert.is(value, undefined);
    const hit = found.find((f) => f.startsWith(`${where} `));
    assert.ok(hit, `expected ${where}, got ${JSON.stringify(found)}`);
    assert.match(hit ?? '', message);
  });
}

test('every problem of a catalogue comes in one run: schema problems and those of the entries the schema passed', async () => {
  const { found } = await read(
    'templates:\n  - name: Bad\n    language: en\n    body: Hi\n  - name: good\n    language: en\n    body: "{{2}}"\n  - name: good\n    language: en\n    body: x\n',
  );
  assert.equal(
    found.map((f) => f.split(' ')[0]),
    ['templates-invalid@2:11', 'templates-invalid@7:11', 'templates-invalid@9:15'],
  );
});

test('the catalogue file is read like the config: missing, special or huge files are one diagnostic, never a hang', () =>
  withTmpDir(async (dir) => {
    const at = { file: 'waspec.config.yaml', line: 3, column: 11 };
    const missing = await readCatalogue({ path: join(dir, 'nope.yaml'), file: 'nope.yaml', at });
    assert.equal(
      missing.diagnostics.map((d) => [d.code, d.file, d.line, d.column]),
      [['file-not-found', 'waspec.config.yaml', 3, 11]],
      'at the config line that names it',
    );
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    for (const path of [join(dir, 'fifo.yaml'), '/dev/zero', dir]) {
      const refused = await readCatalogue({ path, file: path, at });
      assert.equal(
        refused.diagnostics.map((d) => d.code),
        ['file-not-regular'],
        path,
      );
    }
    const huge = join(dir, 'huge.yaml');
    const handle = await open(huge, 'w');
    await handle.truncate(20 * 1024 * 1024);
    await handle.close();
    const big = await readCatalogue({ path: huge, file: 'huge.yaml' });
    assert.equal(
      big.diagnostics.map((d) => [d.code, d.file, d.line]),
      [['file-too-large', 'huge.yaml', 0]],
    );
  }));

test('a catalogue outside its roots (the workspace) is refused at the config line before it is opened; a symbolic link out counts as outside', () =>
  withTmpDir(async (dir) => {
    const at = { file: 'waspec.config.yaml', line: 0, column: 11 };
    const workspace = join(dir, 'ws');
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(workspace);
    await mkdir(elsewhere);
    const outside = join(elsewhere, 'templates.yaml');
    await writeFile(outside, 'templates:\n  - name: "promo\n');
    await symlink(outside, join(workspace, 'link.yaml'));
    for (const path of [outside, join(workspace, 'link.yaml')]) {
      const refused = await readCatalogue({ path, file: path, at, roots: [workspace] });
      assert.is(refused.value, undefined);
      assert.equal(
        refused.diagnostics.map((d) => [d.code, d.file, d.line, d.column]),
        [['file-outside-workspace', 'waspec.config.yaml', 0, 11]],
        path,
      );
      assert.match(refused.diagnostics[0]?.hint ?? '', /--allow-outside/);
    }
    const allowed = await readCatalogue({
      path: outside,
      file: outside,
      at,
      roots: [workspace, elsewhere],
    });
    assert.equal(
      allowed.diagnostics.map((d) => d.code),
      ['yaml-syntax'],
      'read when a root holds it',
    );
  }));

test.run();
