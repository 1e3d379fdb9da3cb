// The library: each stage of the pipeline (load → compile → plan → apply, over a state store)
// as a typed function from data to data, as the CLI uses it. Problems in the input come back as
// diagnostics; operational failures are the error classes below.
export type * from './diagnostics/diagnostic.js';
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnostics/codes.js';
export * from './errors.js';
export type * from './api/types.js';
export type * from './message-spec/types.js';
export type * from './recipients/types.js';
export type * from './compile/types.js';
export type * from './plan/types.js';
export type * from './state/types.js';
export type * from './transport/types.js';

export { loadSpec } from './message-spec/load-spec.js';
export { loadWorkspace, type Workspace } from './message-spec/load-workspace.js';
export { loadConfig, type ConfigOverrides, type ResolvedConfig } from './config/load-config.js';
export { resolveRecipients } from './recipients/resolve-recipients.js';
export { compileSpec } from './compile/compile-spec.js';
export { batchSizeOf, groupRequests } from './compile/group-requests.js';
export type * from './catalogue/types.js';
export { readCatalogue } from './catalogue/read-catalogue.js';
export { checkTemplateMessage } from './catalogue/check-template.js';
export { fillTemplate, type FilledTemplate } from './catalogue/fill-template.js';

export { buildPlan, type BuildPlanOptions } from './plan/build-plan.js';
export { classifyMessage, classifyMessages } from './plan/classify-messages.js';
export { isSending } from './plan/types.js';
export { readSavedPlan, writeSavedPlan, findPlanChanges } from './plan/saved-plan.js';
export type { PlanChange } from './plan/plan-change.js';
export { describePlanChange } from './report/plan-changes.js';
export { planHasWork, summarizeEntries } from './plan/summarize-plan.js';

export { openFileStateStore } from './state/file-state.js';
export { openPgStateStore } from './state/pg-state.js';
export { openStateStore } from './state/open-state.js';
export { parsePostgresTarget, stateTargetOf, type StateTarget } from './state/state-target.js';

export { createTransport } from './transport/create-transport.js';
export { applyPlan, type ApplyDeps, type ApplyProgress } from './apply/apply-plan.js';
export type { ApplyResult } from './apply/apply-result.js';

export {
  formatPlan,
  PLAN_FORMATS,
  type PlanFormat,
  type FormatPlanOptions,
} from './report/plan-format.js';
export { formatPlanSummary } from './report/plan-summary.js';
export { formatApplySummary } from './report/apply-summary.js';
export { maskPhone } from './diagnostics/mask-phone.js';
export {
  renderPreviewPage,
  renderPreviewContent,
  type PreviewInput,
} from './report/render-page.js';
export { renderBubbleContent, renderButtons } from './report/render-bubble.js';
export { formatWhatsAppText, escapeHtml } from './report/format-text.js';
export { renderPlanHtml } from './report/plan-html.js';

export { watchWorkspace, type WatchRun, type WatchOptions } from './watch/watch-workspace.js';
export { startPreviewServer, type PreviewServer } from './preview/server.js';
