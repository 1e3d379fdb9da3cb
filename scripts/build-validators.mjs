// After tsc: writes dist/validators/<name>.cjs, ajv standalone code of each schema in
// SCHEMA_VALIDATORS with the same options, so commands do not compile schemas at start-up.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  SCHEMA_VALIDATORS,
  schemaDigest,
  schemaText,
} from '../dist/diagnostics/schema-validator.js';

const require = createRequire(import.meta.url);
const { Ajv2020 } = require('ajv/dist/2020.js');
const standaloneCode = require('ajv/dist/standalone').default;
const addFormats = require('ajv-formats');

const out = new URL('../dist/validators/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const [name, { options }] of Object.entries(SCHEMA_VALIDATORS)) {
  const text = schemaText(name);
  const ajv = new Ajv2020({ ...options, code: { source: true } });
  addFormats(ajv);
  const code = standaloneCode(ajv, ajv.compile(JSON.parse(text)));
  writeFileSync(
    new URL(`${name}.cjs`, out),
    `${code}\nmodule.exports.schemaDigest = ${JSON.stringify(schemaDigest(text))};\n`,
  );
}

// The journal's branches, one export each, from the journal and plan schemas together.
const {
  JOURNAL_AJV_OPTIONS,
  JOURNAL_KINDS,
  JOURNAL_SCHEMA_ID,
  journalSchemaDigest,
  journalSchemas,
} = await import('../dist/state/journal-format.js');
const schemas = journalSchemas();
const journalAjv = new Ajv2020({ ...JOURNAL_AJV_OPTIONS, code: { source: true } });
addFormats(journalAjv);
for (const schema of schemas) journalAjv.addSchema(schema);
const journalCode = standaloneCode(
  journalAjv,
  Object.fromEntries(JOURNAL_KINDS.map((kind) => [kind, `${JOURNAL_SCHEMA_ID}#/$defs/${kind}`])),
);
writeFileSync(
  new URL('journal.cjs', out),
  `${journalCode}\nmodule.exports.schemaDigest = ${JSON.stringify(journalSchemaDigest(schemas))};\n`,
);
