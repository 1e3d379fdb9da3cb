import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';

export interface ValidateJson {
  valid: boolean;
  diagnostics: Array<{
    code: string;
    severity: string;
    file?: string;
    line?: number;
    column?: number;
    message: string;
    hint?: string;
  }>;
}

/** `waspec validate --format json` in a fresh workspace holding `files`. */
export async function validateFiles(files: Record<string, string>): Promise<ValidateJson> {
  const ws = await makeWorkspace(files);
  try {
    const r = await runCli(['validate', '--format', 'json'], { cwd: ws.dir });
    assertNoStackTrace(r);
    return JSON.parse(r.stdout) as ValidateJson;
  } finally {
    await ws.cleanup();
  }
}
