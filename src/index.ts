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
// plan and state (H3)
export { openFileStateStore } from './state/file-state.js';
export { buildPlan, type BuildPlanOptions } from './plan/build-plan.js';
export { classifyMessage, classifyMessages } from './plan/classify-messages.js';
export { readSavedPlan, writeSavedPlan, findPlanChanges } from './plan/saved-plan.js';
export { planHasWork, summarizeEntries } from './plan/summarize-plan.js';
export { formatPlan, PLAN_FORMATS, type PlanFormat, type FormatPlanOptions } from './report/plan-format.js';
export { formatPlanSummary } from './report/plan-summary.js';
export { maskPhone } from './recipients/mask-phone.js';
// watch and preview (H6)
export { watchWorkspace, type WatchRun, type WatchOptions } from './watch/watch-workspace.js';
export { renderPreviewPage, renderPreviewContent, type PreviewInput } from './report/render-page.js';
export { renderBubbleContent, renderButtons } from './report/render-bubble.js';
export { formatWhatsAppText, escapeHtml } from './report/format-text.js';
export { startPreviewServer, type PreviewServer } from './preview/server.js';
export { renderPlanHtml } from './report/plan-html.js';
// the approved-template catalogue (issue 12)
export type * from './catalogue/types.js';
export { readCatalogue } from './catalogue/read-catalogue.js';
export { checkTemplateMessage } from './catalogue/check-template.js';
export { fillTemplate, type FilledTemplate } from './catalogue/fill-template.js';
