import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { registerInputFile } from '../files/input-files.js';
import { hiddenInputText, refuseInput } from '../files/inside-workspace.js';
import { openRegularFile } from '../files/open-regular-file.js';
import { readAtMost } from '../files/read-at-most.js';
import type { SourcePosition } from '../message-spec/types.js';

/** A file the config names (the template catalogue, the rate card). */
export interface NamedFileRef {
  path: string;
  file: string;
  at?: SourcePosition;
  roots?: readonly string[];
}

/** How the file is called in messages, and what the config key is. */
export interface NamedFileKind {
  /** e.g. "the template catalogue" */
  what: string;
  /** e.g. "templates" */
  key: string;
  /** e.g. "a regular YAML file" */
  form: string;
}

export const MAX_NAMED_FILE_BYTES = 1024 * 1024;

/** The file's bytes, or why they cannot be read: like a spec or the config, a regular file of at most 1 MiB inside the workspace. */
export async function readNamedFile(
  ref: NamedFileRef,
  kind: NamedFileKind,
): Promise<Buffer | Diagnostic> {
  const { file } = ref;
  // Checked before opening: a config must not make waspec show another file's lines.
  const refusal = ref.roots ? await refuseInput(ref.path, ref.roots) : undefined;
  if (refusal?.reason === 'hidden') {
    const text = hiddenInputText(refusal.segment);
    return makeDiagnostic(
      'file-hidden',
      `${kind.what} ${file} ${text.message}`,
      ref.at ?? { file },
      {
        hint: text.hint,
      },
    );
  }
  if (refusal) {
    return makeDiagnostic(
      'file-outside-workspace',
      `${kind.what} ${file} is outside the workspace`,
      ref.at ?? { file },
      {
        hint: `${kind.what} lives under the config file's folder or the current directory; allow another place with --allow-outside PATH (or allowOutside: in the config)`,
      },
    );
  }
  const opened = await openRegularFile(ref.path);
  if ('refusal' in opened) {
    const special = opened.refusal.reason === 'not-a-file';
    return makeDiagnostic(
      special ? 'file-not-regular' : 'file-not-found',
      `${kind.what} ${file} ${opened.refusal.message}`,
      ref.at ?? { file },
      {
        hint: special
          ? `${kind.what} is ${kind.form}`
          : `fix the path in \`${kind.key}:\` of the config (relative to the config file), or remove it`,
      },
    );
  }
  try {
    const tooLarge = makeDiagnostic('file-too-large', `${kind.what} ${file} is larger than 1 MiB`, {
      file,
      line: 0,
      column: 0,
    });
    if (opened.size > MAX_NAMED_FILE_BYTES) return tooLarge;
    registerInputFile(ref.path);
    const bytes = await readAtMost(opened.handle, MAX_NAMED_FILE_BYTES);
    return bytes.length > MAX_NAMED_FILE_BYTES ? tooLarge : bytes;
  } finally {
    await opened.handle.close();
  }
}
