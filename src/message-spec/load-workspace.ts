import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { findSpecFiles } from './find-spec-files.js';
import { loadSpec } from './load-spec.js';
import type { SpecDocument, SpecReadOptions } from './types.js';

export interface Workspace {
  /** Loaded specs in a stable order (by file path). */
  docs: SpecDocument[];
  /** Specs with errors whose recipients, variables and template can still be checked (never compiled to send). */
  flawed?: SpecDocument[];
  diagnostics: Diagnostic[];
  /** Every spec file found, loaded or not. */
  files?: string[];
  /** Whether some given path is a spec file rather than a folder (the workspace is then not every spec). */
  namesFiles?: boolean;
  /**
   * Whether some given path does not exist or some spec file found did not load: the specs loaded
   * are then not the whole workspace either, and the state's other specs are out of the plan's scope.
   */
  incomplete?: boolean;
}

/**
 * Finds spec files (a folder means every *.yaml / *.yml directly in it; default `specs/`),
 * loads each, and checks workspace rules such as unique spec names.
 */
export async function loadWorkspace(
  paths: readonly string[],
  options: SpecReadOptions = {},
): Promise<Workspace> {
  const given = paths.length > 0 ? paths : ['specs'];
  const { files, missing, named } = await findSpecFiles(given);
  const diagnostics: Diagnostic[] = missing.map((m) =>
    makeDiagnostic('file-not-found', `${m} does not exist`, { file: m }),
  );
  if (files.length === 0 && missing.length === 0) {
    diagnostics.push(
      makeDiagnostic(
        'no-specs',
        `no *.yaml or *.yml spec files in ${given.join(', ')}`,
        {},
        {
          hint: 'name spec files or folders: waspec validate specs/',
        },
      ),
    );
  }
  const docs: SpecDocument[] = [];
  const flawed: SpecDocument[] = [];
  const byName = new Map<string, SpecDocument>();
  for (const file of files) {
    const { value, diagnostics: found, flawed: partly } = await loadSpec(file, options);
    diagnostics.push(...found);
    if (partly) flawed.push(partly);
    if (!value) continue;
    const first = byName.get(value.spec.name);
    if (first) {
      diagnostics.push(
        makeDiagnostic(
          'duplicate-spec-name',
          `the spec name '${value.spec.name}' is also used by ${first.file}`,
          value.locate(['name']),
          {
            hint: 'a name is the identity of a message; give each spec its own',
          },
        ),
      );
      continue;
    }
    byName.set(value.spec.name, value);
    docs.push(value);
  }
  const incomplete = missing.length > 0 || docs.length < files.length;
  return {
    docs,
    ...(flawed.length > 0 ? { flawed } : {}),
    diagnostics,
    files,
    namesFiles: named.length > 0,
    incomplete,
  };
}
