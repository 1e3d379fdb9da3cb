import type { PlanAction } from '../plan/types.js';
import { ICONS } from './icons.js';

/**
 * How the page shows each state: a label and icon on a badge in the state's colour (page-style.ts
 * .state-*), whether the bubble is on (or will reach) the phone, and the footer's delivery mark:
 * ticks only where the API accepted the message, WhatsApp's clock where it is still to go.
 */
export const PAGE_STATES: Record<
  PlanAction,
  { label: string; icon: string; reachesPhone: boolean; footer?: 'ticks' | 'clock' | 'failed' }
> = {
  send: { label: 'to send', icon: ICONS.pending, reachesPhone: true, footer: 'clock' },
  retry: { label: 'to retry', icon: ICONS.retry, reachesPhone: true, footer: 'clock' },
  unchanged: { label: 'already sent', icon: ICONS.accepted, reachesPhone: true, footer: 'ticks' },
  // The phone has the earlier content: this one is not sent (so no ticks).
  drift: { label: 'drift', icon: ICONS.drift, reachesPhone: false },
  rejected: { label: 'rejected', icon: ICONS.alert, reachesPhone: false, footer: 'failed' },
  'in-doubt': { label: 'in doubt', icon: ICONS.question, reachesPhone: false },
  suppressed: { label: 'suppressed', icon: ICONS.blocked, reachesPhone: false },
  capped: { label: 'capped', icon: ICONS.paused, reachesPhone: false },
  'quiet-hours': { label: 'in quiet hours', icon: ICONS.moon, reachesPhone: false },
  limit: { label: 'over the limit', icon: ICONS.paused, reachesPhone: false },
  orphan: { label: 'orphan', icon: ICONS.orphan, reachesPhone: false },
};

/** A state as a coloured pill: icon, label and (optionally) a count. */
export function stateBadge(action: PlanAction, count?: number): string {
  const s = PAGE_STATES[action];
  const n = count === undefined ? '' : ` <span class="n">${count.toLocaleString('en-US')}</span>`;
  return `<span class="badge state-${action}">${s.icon}<span class="state-label">${s.label}</span>${n}</span>`;
}

/** The delivery mark at the bubble's foot. */
export function footerMark(action: PlanAction): string {
  switch (PAGE_STATES[action].footer) {
    case 'ticks':
      return `<span class="ticks" title="accepted by the API">${ICONS.ticks}</span>`;
    case 'clock':
      return `<span class="pending" title="not sent yet">${ICONS.clock}</span>`;
    case 'failed':
      return `<span class="failed" title="refused by the API">${ICONS.alert}</span>`;
    default:
      return '';
  }
}
