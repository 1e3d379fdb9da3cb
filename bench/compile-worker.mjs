// One measured run in its own process, so peak RSS belongs to that run alone.
// Usage: node bench/compile-worker.mjs <spec.yaml> <compile|bare>
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import Handlebars from 'handlebars';
import { loadSpec } from '../dist/spec/load-spec.js';
import { compileSpecBatches } from '../dist/compile/compile-spec.js';
import { groupRequestBatches } from '../dist/compile/group-requests.js';
import { validateRequestBody } from '../dist/compile/validate-request.js';

const [specFile, mode] = process.argv.slice(2);
const started = performance.now();
let recipients = 0;
let bytes = 0;

if (mode === 'compile') {
  const { value: doc, diagnostics } = await loadSpec(specFile);
  if (!doc) throw new Error(JSON.stringify(diagnostics));
  const problems = [];
  const counted = (async function* () {
    for await (const batch of compileSpecBatches(doc, (d) => problems.push(d))) {
      recipients += batch.length;
      yield batch;
    }
  })();
  // As `waspec compile` writes NDJSON: every body serialised.
  for await (const bodies of groupRequestBatches(counted, 100)) for (const body of bodies) bytes += JSON.stringify(body).length + 1;
  if (problems.length) throw new Error(`${problems.length} diagnostics`);
} else {
  // The bare loop: the same CSV rows, read with the same CSV library, one Handlebars render and one
  // ajv validation each.
  const template = Handlebars.compile('Hi {{name}}, your code is {{code}}', { strict: true, noEscape: true });
  const csv = specFile.replace(/\.yaml$/, '.csv');
  await new Promise((resolve, reject) => {
    Papa.parse(createReadStream(csv, { encoding: 'utf8' }), {
      header: true,
      skipEmptyLines: true,
      chunk: ({ data }) => {
        for (const row of data) {
          const body = { bulkId: 'B', destinations: [{ messageId: 'm', to: { phoneNumber: row.phoneNumber } }], whatsApp: { text: template(row) } };
          if (validateRequestBody(body).length) throw new Error('invalid');
          recipients++;
        }
      },
      complete: resolve,
      error: reject,
    });
  });
}
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ recipients, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, bytes }));
