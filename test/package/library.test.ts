import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { withTmpDir } from '../state/tmp-dir.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/package/library/specs', import.meta.url));
// The package's own entry ("exports": dist/index.js), as another project imports it; typed by its source.
const entry = 'waspec';
const waspec = (await import(entry)) as typeof import('../../src/index.js');

test('the library entry loads, compiles and plans a workspace', () =>
  withTmpDir(async (dir) => {
    const workspace = await waspec.loadWorkspace([FIXTURE]);
    assert.equal(workspace.diagnostics, []);
    assert.equal(
      workspace.docs.map((d) => d.spec.name),
      ['library-welcome'],
    );

    const problems: Diagnostic[] = [];
    const compiled = [];
    for (const doc of workspace.docs)
      for await (const m of waspec.compileSpec(doc, (d) => problems.push(d))) compiled.push(m);
    assert.equal(problems, []);
    assert.equal(
      compiled.map((m) => m.phoneNumber),
      ['41793026727', '447911123456', '4915112345678'],
    );
    const bodies = [];
    for await (const body of waspec.groupRequests(
      (async function* () {
        yield compiled;
      })(),
      100,
    ))
      bodies.push(body);
    assert.equal(
      bodies.map((b) => b.destinations.length),
      [2, 1],
      'both Annas get the same text, in one request',
    );

    const plan = await waspec.buildPlan({
      paths: [FIXTURE],
      store: waspec.openFileStateStore(join(dir, '.waspec')),
    });
    assert.equal(plan.diagnostics, []);
    assert.is(plan.summary.send, 3);
    assert.ok(waspec.planHasWork(plan.summary));
    assert.equal(
      plan.entries.map((e) => e.messageId),
      compiled.map((m) => m.messageId),
    );
    for (const e of plan.entries) {
      assert.ok(waspec.isSending(e), `${e.messageId} is sent`);
      if (waspec.isSending(e))
        assert.equal(
          plan.contents[e.contentHash],
          compiled.find((m) => m.messageId === e.messageId)?.content,
        );
    }
  }));

test.run();
