import type { Plan } from '../plan/types.js';
import { renderPreviewPage } from './render-page.js';

/** The plan as one self-contained HTML page (chat bubbles, no external assets, no script). */
export function renderPlanHtml(plan: Plan, options: { mask: boolean }): string {
  return renderPreviewPage({
    plan,
    diagnostics: plan.diagnostics,
    mask: options.mask,
    title: 'waspec plan',
  });
}
