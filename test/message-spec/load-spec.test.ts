import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadSpec } from '../../src/message-spec/load-spec.js';
import { loadWorkspace } from '../../src/message-spec/load-workspace.js';
import { makeWorkspace } from '../helpers/cli.js';

const spec =
  'name: hello\nrevision: 1\nwhatsApp:\n  templateName: promo\n  language: en\n  templateData: ["{{a}}", "b"]\nrecipients:\n  - phoneNumber: "41793026727"\n';

test('a loaded spec maps paths back to source positions, with a nearest-ancestor fallback', async () => {
  const { dir, cleanup } = await makeWorkspace({ 'hello.yaml': spec });
  try {
    const { value: doc, diagnostics } = await loadSpec(join(dir, 'hello.yaml'));
    assert.equal(diagnostics, []);
    assert.ok(doc);
    assert.equal(doc.locate(['whatsApp', 'templateData', 1]), {
      file: doc.file,
      line: 5,
      column: 26,
      endLine: 5,
      endColumn: 28,
    });
    assert.equal(doc.locate(['whatsApp', 'nothing', 3]), { file: doc.file, line: 3, column: 2 });
    assert.is(doc.sourceOf(['recipients', 0, 'phoneNumber']), '"41793026727"');
    assert.match(doc.digest, /^[0-9a-f]{64}$/);
  } finally {
    await cleanup();
  }
});

test('unknown fields get a did-you-mean hint; parsed data cannot pollute prototypes', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'typo.yaml': spec.replace('language', 'langauge'),
    'proto.yaml': `${spec}vars:\n  __proto__: { polluted: true }\n`,
  });
  try {
    const typo = await loadSpec(join(dir, 'typo.yaml'));
    const unknown = typo.diagnostics.find((d) => d.code === 'schema-unknown-field');
    assert.is(unknown?.hint, "did you mean 'language'?");
    const proto = await loadSpec(join(dir, 'proto.yaml'));
    assert.is(proto.value, undefined);
    assert.is(proto.diagnostics[0]?.code, 'forbidden-key');
    assert.is(({} as Record<string, unknown>).polluted, undefined);
  } finally {
    await cleanup();
  }
});

test('a workspace: folders read non-recursively, config skipped, duplicate names reported', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'specs/a.yaml': spec,
    'specs/b.yml': spec,
    'specs/waspec.config.yaml': 'profiles: {}\n',
    'specs/nested/c.yaml': 'not: a spec\n',
  });
  try {
    const workspace = await loadWorkspace([join(dir, 'specs')]);
    assert.is(workspace.docs.length, 1);
    assert.equal(
      workspace.diagnostics.map((d) => d.code),
      ['duplicate-spec-name'],
    );
    const none = await loadWorkspace([join(dir, 'specs/nested/none')]);
    assert.equal(
      none.diagnostics.map((d) => d.code),
      ['file-not-found'],
    );
  } finally {
    await cleanup();
  }
});

test.run();
