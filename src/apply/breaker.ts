import type { BreakerSettings } from '../config/policy.js';
import type { BreakerTrip } from '../state/types.js';
import type { RequestOutcome } from './apply-result.js';

/** How many reasons a trip names. */
const TOP_REASONS = 5;
/** Reasons come from the API's answers (untrusted): cut, without control characters. */
const MAX_REASON_CHARS = 200;

const enum Answer {
  Accepted,
  Rejected,
  Failed,
}

const cleanReason = (reason: string): string =>
  reason.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, MAX_REASON_CHARS);

/**
 * An apply's circuit breaker: it keeps the last `window` answers (a message accepted, rejected, or
 * of a request that failed after its retries; in-doubt messages are no answer) and trips when, with
 * at least `minAnswers` of them, the share rejected or failed is over its threshold. Constant work
 * per answer (a ring of the window's answers and running counts).
 */
export class Breaker {
  private readonly kinds: Uint8Array;
  private readonly reasons: Array<string | undefined>;
  private next = 0;
  private size = 0;
  private rejected = 0;
  private failed = 0;
  private tripped: BreakerTrip | undefined;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.kinds = new Uint8Array(settings.window);
    this.reasons = new Array<string | undefined>(settings.window);
  }

  /** The trip, once it has tripped (it stays tripped). */
  get trip(): BreakerTrip | undefined {
    return this.tripped;
  }

  /** Adds a request's outcome to the window; the trip when this outcome tripped the breaker. */
  add(outcome: RequestOutcome): BreakerTrip | undefined {
    if (this.tripped) return undefined;
    if (outcome.kind === 'failed') {
      const reason = cleanReason(outcome.reason);
      for (let i = 0; i < outcome.messages; i++) this.push(Answer.Failed, reason);
    } else if (outcome.kind === 'answered') {
      for (const m of outcome.messages) {
        if (m.outcome === 'accepted') this.push(Answer.Accepted, undefined);
        else if (m.outcome === 'rejected')
          this.push(Answer.Rejected, cleanReason(`${m.status.name}: ${m.status.description}`));
      }
    }
    return this.check();
  }

  private push(kind: Answer, reason: string | undefined): void {
    const { window } = this.settings;
    if (this.size === window) {
      const old = this.kinds[this.next];
      if (old === Answer.Rejected) this.rejected--;
      else if (old === Answer.Failed) this.failed--;
    } else this.size++;
    this.kinds[this.next] = kind;
    this.reasons[this.next] = reason;
    if (kind === Answer.Rejected) this.rejected++;
    else if (kind === Answer.Failed) this.failed++;
    this.next = (this.next + 1) % window;
  }

  /**
   * The verdict once every answer expected is in (a canary's): the thresholds over what the window
   * holds, however few answers (minAnswers is for judging while answers still come in). The trip
   * when it trips; it stays tripped.
   */
  judge(): BreakerTrip | undefined {
    if (this.tripped) return this.tripped;
    return this.size === 0 ? undefined : this.check(1);
  }

  private check(minAnswers = this.settings.minAnswers): BreakerTrip | undefined {
    const { maxRejectedShare, maxFailedShare, window } = this.settings;
    if (this.size < Math.min(minAnswers, window)) return undefined;
    const rejectedShare = this.rejected / this.size;
    const failedShare = this.failed / this.size;
    const cause =
      rejectedShare > maxRejectedShare
        ? 'rejected'
        : failedShare > maxFailedShare
          ? 'failed'
          : undefined;
    if (!cause) return undefined;
    this.tripped = {
      at: this.now(),
      cause,
      share: cause === 'rejected' ? rejectedShare : failedShare,
      threshold: cause === 'rejected' ? maxRejectedShare : maxFailedShare,
      answers: this.size,
      reasons: this.topReasons(),
    };
    return this.tripped;
  }

  private topReasons(): BreakerTrip['reasons'] {
    const counts = new Map<string, number>();
    for (let i = 0; i < this.size; i++) {
      const reason = this.reasons[i];
      if (reason !== undefined) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
    return [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, TOP_REASONS)
      .map(([reason, count]) => ({ reason, count }));
  }
}
