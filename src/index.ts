// The library: every stage of the pipeline is usable on its own.
export type * from './diagnostics/diagnostic.js';
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnostics/codes.js';
export type * from './spec/types.js';
export type * from './recipients/types.js';
export type * from './compile/types.js';
export type * from './plan/types.js';
export type * from './state/types.js';
export type * from './transport/types.js';
export * from './errors.js';
