import { EMULATOR_DEFAULTS } from '../../src/emulator/server.js';

/** The environment that points the CLI at an emulator at `url`, with its app key and secret. */
export const emulatorEnv = (url: string) => ({
  WASPEC_BASE_URL: url,
  WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
  WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
});
