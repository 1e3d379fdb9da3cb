import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { assertGolden } from '../helpers/golden.js';

// Each example compiles to the reviewed request bodies beside this file (UPDATE_GOLDEN=1 rewrites them).
const root = fileURLToPath(new URL('../../', import.meta.url));
const golden = (name: string) => new URL(`./${name}.json`, import.meta.url);
// Every spec of examples/ (as a folder argument finds them: the config file is not a spec).
const examples = (await readdir(new URL('../../examples/', import.meta.url))).filter((f) => f.endsWith('.yaml') && f !== 'waspec.config.yaml').sort();

test('there is an example per content kind of the reference', () => {
  for (const kind of ['text', 'image', 'audio', 'video', 'location', 'template', 'media-template', 'csv-recipients', 'ndjson-recipients', 'scheduled', 'scenario-key']) {
    assert.ok(examples.includes(`${kind}.yaml`), `examples/${kind}.yaml`);
  }
});

for (const example of examples) {
  const name = example.replace(/\.yaml$/, '');
  test(`examples/${example} compiles to its golden request bodies, byte for byte, every time`, async () => {
    const first = await runCli(['compile', `examples/${example}`], { cwd: root });
    assert.is(first.code, 0, first.stderr);
    const second = await runCli(['compile', `examples/${example}`], { cwd: root });
    assert.is(second.stdout, first.stdout, 'two compiles differ');
    await assertGolden(golden(name), first.stdout);
  });
}

test('dogfood: specs/ and examples/ validate without errors or warnings', async () => {
  for (const folder of ['specs', 'examples']) {
    const result = await runCli(['validate', folder, '--format', 'json'], { cwd: root });
    assert.is(result.code, 0, result.stdout);
    const report = JSON.parse(result.stdout) as { errors: number; warnings: number };
    assert.is(report.errors + report.warnings, 0, folder);
  }
});

test.run();
