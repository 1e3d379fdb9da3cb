// A plan of personalised specs built the real way (buildPlan on test/fixtures/plan-shapes), with a
// state that gives the personalised template one message in each of unchanged, drift, retry, rejected.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { buildPlan } from '../../src/plan/build-plan.js';
import { contentHashOf, type Plan } from '../../src/plan/types.js';
import { openFileStateStore } from '../../src/state/file-state.js';
import { inFlight, outcome } from '../state/records.js';

export const SHAPES_DIR = path.relative(
  process.cwd(),
  fileURLToPath(new URL('../fixtures/plan-shapes', import.meta.url)),
);
export const SHAPES_NOW = new Date('2026-02-01T12:00:00.000Z');

/** The plan; spec files shown as `specs/<file>` whatever the directory the tests run from. */
export async function buildShapesPlan(stateDir: string, withState = true): Promise<Plan> {
  const store = openFileStateStore(stateDir);
  const plan = await buildPlan({ paths: [SHAPES_DIR], store, now: SHAPES_NOW });
  if (withState) {
    const ref = (phone: string, contentHash?: string) => {
      const e = plan.entries.find((x) => x.phoneNumber === phone && x.spec === 'black-friday');
      const hash = e && contentHashOf(e);
      if (!e || !hash) throw new Error(`no message to ${phone}`);
      return {
        messageId: e.messageId,
        spec: e.spec,
        phoneNumber: phone,
        contentHash: contentHash ?? hash,
      };
    };
    const [anna, ben, chloe, dan] = [
      '41791000001',
      '41791000002',
      '41791000003',
      '41791000004',
    ] as const;
    await store.append([
      inFlight('B1', '2026-01-10T10:00:00.000Z', [
        ref(anna),
        ref(ben, 'f'.repeat(64)),
        ref(chloe),
        ref(dan),
      ]),
      outcome('B1', '2026-01-10T10:00:01.000Z', [
        { messageId: ref(anna).messageId, outcome: 'accepted', statusName: 'PENDING_ENROUTE' },
        { messageId: ref(ben).messageId, outcome: 'accepted', statusName: 'PENDING_ENROUTE' },
        {
          messageId: ref(chloe).messageId,
          outcome: 'failed',
          httpStatus: 503,
          error: 'HTTP 503 Service Unavailable',
        },
        { messageId: ref(dan).messageId, outcome: 'rejected', statusName: 'REJECTED_DESTINATION' },
      ]),
    ]);
  }
  const again = withState ? await buildPlan({ paths: [SHAPES_DIR], store, now: SHAPES_NOW }) : plan;
  await store.close();
  return {
    ...again,
    specs: again.specs.map((s) => ({ ...s, file: `specs/${path.basename(s.file)}` })),
  };
}
