import { EXIT, type ExitCode } from '../errors.js';
import type { Command } from '@commander-js/extra-typings';
import { checkFlawedSpecs, compileSpecBatches } from '../compile/compile-spec.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticsToJson } from '../report/diagnostics-json.js';
import { loadWorkspace } from '../message-spec/load-workspace.js';
import { readCatalogue } from '../catalogue/read-catalogue.js';
import { addMediaOptions, mediaCheckOf, resolvePlanSettings } from './plan-options.js';
import {
  addAllowOutsideOption,
  addConfigOptions,
  addFormatOption,
  type FlagsOf,
} from './options.js';
import { checkMediaUrls } from '../plan/check-media-urls.js';
import type { WhatsApp } from '../api/types.js';
import { mediaFieldsOf } from '../api/media-limits.js';
import { checkSendAt } from '../plan/plan-checks.js';
import { printDiagnostics } from './print-diagnostics.js';
import { escapeInvisibleInJson } from '../plan/plan-json.js';
import { action } from './run.js';
import { plural } from '../report/plural.js';

const VALIDATE_HELP = [
  '',
  'The config gives allowOutside and the template catalogue (templates:).',
  '',
  'Examples:',
  '  waspec validate                 # every spec in specs/',
  '  waspec validate specs/promo.yaml --format json',
  '',
  'Exit codes: 0 valid (warnings alone exit 0), 1 errors found.',
].join('\n');

/** `validate` and its flags, in --help order. */
function validateCommand(program: Command) {
  const command = program
    .command('validate')
    .description(
      'check specs and their recipients: YAML, schema, content rules, phone numbers, variables, API limits',
    )
    .argument('[paths...]', 'spec files or folders (a folder means every *.yaml / *.yml in it)', [
      'specs',
    ]);
  return addMediaOptions(
    addAllowOutsideOption(addConfigOptions(addFormatOption(command, ['pretty', 'json']))),
  );
}

type ValidateOptions = FlagsOf<ReturnType<typeof validateCommand>>;

export function defineValidateCommand(program: Command): void {
  validateCommand(program)
    .addHelpText('after', VALIDATE_HELP)
    .action(action(async (paths, options) => runValidate(paths, options)));
}

async function runValidate(paths: string[], options: ValidateOptions): Promise<ExitCode> {
  const settings = await resolvePlanSettings(options);
  const workspace = await loadWorkspace(paths, {
    allowOutside: settings.allowOutside,
    recipientDefaults: settings.recipientDefaults,
    ...(settings.seed ? { seed: settings.seed } : {}),
  });
  const catalogue = settings.templates ? await readCatalogue(settings.templates) : undefined;
  const diagnostics: Diagnostic[] = [...workspace.diagnostics, ...(catalogue?.diagnostics ?? [])];
  let recipients = 0;
  const now = new Date();
  const { checkMedia } = await mediaCheckOf(options);
  // Each spec's messages with distinct media URLs, for --check-media.
  const media: Array<{ doc: (typeof workspace.docs)[number]; whatsApp: WhatsApp }> = [];
  for (const doc of workspace.docs) {
    checkSendAt(doc, now, diagnostics);
    const seen = new Set<string>();
    for await (const batch of compileSpecBatches(
      doc,
      (d) => diagnostics.push(d),
      catalogue?.value ? { catalogue: catalogue.value } : {},
    )) {
      recipients += batch.length;
      if (checkMedia)
        for (const m of batch) {
          const urls = mediaFieldsOf(m.content.whatsApp)
            .map((f) => f.url)
            .join('\n');
          if (urls === '' || seen.has(urls)) continue;
          seen.add(urls);
          media.push({ doc, whatsApp: m.content.whatsApp });
        }
    }
  }
  await checkFlawedSpecs(
    workspace.flawed ?? [],
    (d) => diagnostics.push(d),
    catalogue?.value ? { catalogue: catalogue.value } : {},
  );
  if (checkMedia) diagnostics.push(...(await checkMediaUrls(media, checkMedia)));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const specs = workspace.files?.length ?? workspace.docs.length;
  if (options.format === 'json') {
    const result = {
      valid: !hasErrors(diagnostics),
      specs,
      recipients,
      errors,
      warnings,
      diagnostics: diagnosticsToJson(diagnostics),
    };
    process.stdout.write(`${escapeInvisibleInJson(JSON.stringify(result, null, 2))}\n`);
  } else {
    printDiagnostics(diagnostics);
    process.stdout.write(
      hasErrors(diagnostics)
        ? `✗ ${plural(errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''} in ${plural(specs, 'spec')}\n`
        : `✓ ${plural(specs, 'spec')} valid, ${plural(recipients, 'message')}${warnings ? ` (${plural(warnings, 'warning')})` : ''}\n`,
    );
  }
  return hasErrors(diagnostics) ? EXIT.error : EXIT.ok;
}
