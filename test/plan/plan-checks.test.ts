import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { checkSendAt, selectTargets } from '../../src/plan/plan-checks.js';
import type { Spec, SpecDocument } from '../../src/message-spec/types.js';

function doc(spec: Partial<Spec> & { name: string }): SpecDocument {
  return {
    file: `specs/${spec.name}.yaml`,
    absolutePath: `/w/specs/${spec.name}.yaml`,
    digest: '0'.repeat(64),
    spec: { revision: 1, whatsApp: { text: 'hi' }, recipients: [], ...spec },
    locate: (path) => ({
      file: `specs/${spec.name}.yaml`,
      line: path[0] === 'sendAt' ? 3 : 0,
      column: path[0] === 'sendAt' ? 8 : 0,
    }),
    sourceOf: () => undefined,
  };
}

test('sendAt in the past is an error at the sendAt node; in the future it is fine', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const diagnostics: Diagnostic[] = [];
  checkSendAt(doc({ name: 'past', sendAt: '2026-05-31T23:59:00+00:00' }), now, diagnostics);
  checkSendAt(doc({ name: 'future', sendAt: '2026-06-01T02:30:00+02:00' }), now, diagnostics);
  checkSendAt(doc({ name: 'none' }), now, diagnostics);
  assert.equal(
    diagnostics.map((d) => [d.code, d.severity, d.file, d.line, d.column]),
    [['send-at-past', 'error', 'specs/past.yaml', 3, 8]],
  );
});

test('--target keeps the named specs; an unknown one is target-not-found listing the names', () => {
  const diagnostics: Diagnostic[] = [];
  const docs = [doc({ name: 'a' }), doc({ name: 'b' }), doc({ name: 'c' })];
  assert.equal(selectTargets(docs, [], diagnostics).length, 3);
  assert.equal(
    selectTargets(docs, ['c', 'a', 'zz'], diagnostics).map((d) => d.spec.name),
    ['a', 'c'],
  );
  assert.is(diagnostics.length, 1);
  assert.is(diagnostics[0]?.code, 'target-not-found');
  assert.match(diagnostics[0]?.hint ?? '', 'a, b, c');
});

test.run();
