/**
 * Every diagnostic code waspec can emit, with a one-line meaning.
 * Codes are stable: tools and users match on them. docs/reference/diagnostics.md lists them (a test checks it).
 */
export const DIAGNOSTIC_CODES = {
  // --- reading files ---
  'file-not-found':
    'A spec, recipient or template catalogue file does not exist or cannot be read.',
  'file-too-large':
    'A file is larger than waspec reads (specs, config and template catalogue: 1 MiB; JSON recipients: 64 MiB; suppression files: 128 MiB).',
  'file-empty': 'A spec file is empty.',
  'file-not-regular':
    'A spec, recipient, suppression, config or template catalogue file is a FIFO, device, directory or system file, not a regular file.',
  'file-outside-workspace':
    "A recipient file lies outside the spec's folder and the current directory, or a suppression file or template catalogue outside the config's folder and the current directory (allow it with --allow-outside).",
  'file-hidden':
    "An input file is hidden (a file or folder of its path starts with '.', e.g. .env) or under .git/: refused before it is opened unless allowed by name.",
  'no-specs': 'No *.yaml / *.yml spec files were found at the given paths.',

  // --- YAML ---
  'yaml-syntax': 'The YAML is malformed.',
  'yaml-duplicate-key': 'A mapping has the same key twice.',
  'yaml-alias-limit': 'Too many YAML aliases (an alias bomb is refused).',
  'yaml-multiple-documents': 'A spec file holds more than one YAML document.',
  'forbidden-key': 'A key such as __proto__, constructor or prototype is refused.',
  'yaml-alias-cycle':
    'A YAML alias or merge key refers to a node that contains it (the value would never end).',
  'yaml-collection-key': 'A YAML mapping key is a list or a mapping (keys are plain text).',
  'nesting-too-deep':
    'Lists and mappings are nested more than 32 levels deep in a spec or a JSON/NDJSON recipient.',

  // --- the spec schema ---
  'schema-type': 'A value has the wrong type.',
  'schema-required': 'A required field is missing.',
  'schema-unknown-field': 'A field is not part of the spec format.',
  'schema-enum': 'A value is not one of the allowed values.',
  'schema-pattern': 'A value does not have the required form.',
  'schema-limit': 'A value is out of its allowed length or range.',
  'schema-invalid': 'A value does not match the spec format.',
  'duplicate-spec-name': 'Two spec files use the same name.',

  // --- message content rules ---
  'content-missing': 'The whatsApp object has no content field.',
  'content-conflict': 'The whatsApp object mixes more than one kind of content.',
  'template-language-missing': 'templateName is set without language.',
  'location-incomplete': 'latitude and longitude must be given together.',
  'media-template-without-template': 'mediaTemplateData is set without templateName.',
  'send-at-invalid': 'sendAt is not an ISO 8601 date-time with an offset.',
  'url-too-long': 'A URL is longer than 2048 characters.',
  'media-type': 'A media URL does not end in an allowed file type.',
  'media-check':
    'With --check-media: a media URL does not answer 200, serves another type than the API takes, is larger than its limit, is slow or unreachable, or names a private address.',
  'url-scheme': 'A media URL is not an http:// or https:// URL.',
  'text-too-long': 'A text is longer than its limit (locationName, address: 1000).',
  'coordinate-range': 'A latitude or longitude is out of range.',
  'placeholder-empty': 'A placeholder value is empty.',
  'control-character':
    'A text holds control or invisible characters (ESC and bidi controls: an error unless allowControlCharacters).',

  // --- recipients ---
  'recipients-file-not-found': 'A recipient file named by the spec does not exist.',
  'recipients-format':
    'A recipient file has an unknown format (use .csv, .xlsx, .json, .ndjson or .jsonl).',
  'csv-syntax': 'A CSV file is malformed.',
  'csv-delimiter':
    "A CSV file's columns are read as separated by ';', tab or '|', found in its header row (set delimiter: to say so).",
  'csv-encoding':
    'A CSV file is not UTF-8 text (Windows-1252, or UTF-16 without a byte order mark); set encoding: or save it as CSV UTF-8.',
  'column-unnamed':
    'A CSV or XLSX row has a value in a column whose header is empty: the column is not read.',
  'recipient-excluded':
    'A recipient left out of the plan by invalid: hold or duplicates: first (an invalid number, an empty variable, a conflicting duplicate).',
  'csv-missing-column':
    'A CSV or XLSX file has no phone number column (phoneColumn, phoneNumber or a recognised name such as phone, mobile, msisdn).',
  'phone-column-found':
    'Phone numbers are read from a column not named phoneNumber (e.g. Mobile); set phoneColumn to say so.',
  'phone-column-ambiguous':
    'More than one column of a CSV or XLSX file could hold the phone numbers; set phoneColumn.',
  'columns-invalid':
    'columns: names a column the file does not have, or two columns give one variable.',
  'recipients-option':
    'A recipient file option does not apply to its format (phoneColumn, columns and sheet are for CSV and XLSX), or defaultCountry is not a country code.',
  'xlsx-invalid':
    'An XLSX file cannot be read: not a workbook, malformed, encrypted, no such sheet, or a part that expands past its limit (a zip bomb).',
  'json-syntax': 'A JSON or NDJSON recipient file is malformed.',
  'recipient-invalid': 'A recipient entry has the wrong shape.',
  'value-too-long':
    'A variable the message uses is longer than 4,096 characters (longer than any WhatsApp text); the recipient is left out. A long value in a column the message never names is dropped without a word.',
  'phone-unquoted': 'A phone number was written as a YAML number; quote it.',
  'phone-invalid':
    'A phone number is not a valid international number (or national number of the defaultCountry).',
  'phone-duplicate':
    'The same phone number appears twice in one spec with the same vars; the first is kept and it is sent once.',
  'phone-duplicate-conflict':
    'The same phone number appears twice in one spec with different vars (the message would depend on row order).',
  'recipients-empty': 'A spec has no recipients.',
  'seed-sample-not-found':
    "seed.sampleFrom names no recipient of the spec whose message compiles (a phone number or messageId), so the seeds' message cannot be rendered.",
  'seed-too-many':
    'A spec has more than 1,000 seeds (test recipients are a few internal phones, not an audience).',
  'seed-also-recipient':
    'A seed is also a recipient of the spec: it gets the test message and the real one.',

  // --- rendering ---
  'template-syntax': 'A Handlebars expression is malformed.',
  'variable-missing': 'A variable used in the message is not defined for a recipient.',
  'render-limit':
    'A template renders past its field limit or takes too much work (loops within loops); rendering stopped early.',
  'variable-empty':
    'A variable printed in the message is empty or null for a recipient (declare it optional or guard it with {{#if}}).',
  'variable-not-text': 'A variable printed in the message is a list or a mapping.',
  'request-invalid': 'A rendered request body does not match the API reference.',

  // --- the approved-template catalogue (templates: in the config) ---
  'templates-invalid':
    'The template catalogue is malformed: not schemas/templates.schema.json, parameters not numbered {{1}}…{{n}}, or a template listed twice.',
  'template-unknown': 'templateName is not in the approved-template catalogue.',
  'template-language-unknown': 'The template is not approved in this language.',
  'template-parameters':
    'templateData or the body placeholders do not have as many items as the template body has parameters (or a text header its one).',
  'template-header':
    'The header does not match the template: media missing or of the wrong kind, or a header the template does not have.',
  'template-not-approved':
    'The catalogue lists the template as paused, disabled or pending (status:): WhatsApp refuses to send it.',
  'template-buttons':
    'The buttons do not match the template: a button value missing, extra, or of the wrong kind.',

  // --- the rate card (rates: in the config) ---
  'rates-invalid':
    'The rate card is malformed: not schemas/rates.schema.json, a price that is not a decimal of at most 6 places, a calling code listed twice, or no complete default row.',

  // --- plan ---
  'send-at-past': 'sendAt is in the past.',
  'state-torn-line': 'The last line of the state journal was cut off (a crash); it is ignored.',
  'state-record-invalid':
    'A line of the state journal does not match schemas/journal-record.schema.json; its record is not used.',
  'target-not-found': 'A --target names no spec.',
  'plan-too-large':
    'A spec sends more than its maxRecipients, or the plan more than policy.maxMessagesPerApply; --allow-large N approves N.',

  'plan-over-budget':
    'The plan would cost more than policy.budget (per apply or per spec) by the rate card; --allow-cost AMOUNT approves up to AMOUNT.',
  'rates-missing': 'policy.budget is set but the config names no rate card (rates:).',

  // --- suppressions ---
  'suppressions-file-not-found': 'A suppression file named in the config does not exist.',
  'suppression-invalid': 'A suppression file has an entry without a valid phone number.',

  // --- config ---
  'config-invalid': 'waspec.config.yaml is malformed or has unknown fields.',
  'config-secret':
    'A secret was put in waspec.config.yaml; secrets come only from the environment.',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
