// A plan with every category, built the real way: journal records through the file store,
// compiled messages by hand (until compileSpec is used end to end), classifyMessages.
import { messageIdFor } from '../../src/api/identity.js';
import type { CompiledMessage } from '../../src/compile/types.js';
import type { MessageContent } from '../../src/api/types.js';
import { classifyMessages } from '../../src/plan/classify-messages.js';
import { lookUpContents } from '../../src/plan/look-up-contents.js';
import { summarizeEntries } from '../../src/plan/summarize-plan.js';
import type { Plan } from '../../src/plan/types.js';
import type { StateStore } from '../../src/state/types.js';
import { openFileStateStore } from '../../src/state/file-state.js';
import { inFlight, outcome } from '../state/records.js';

export const PROMO: MessageContent = {
  whatsApp: {
    templateName: 'promo_offer',
    language: 'en_GB',
    templateData: ['Anna', '20%'],
    mediaTemplateData: {
      header: { imageUrl: 'https://cdn.acme.example/bf.png' },
      body: { placeholders: ['Anna'] },
      buttons: [{ urlPlaceholder: 'offer/A1' }, { quickReplyPayload: 'STOP' }],
    },
  },
  sendAt: '2026-11-27T09:00:00+01:00',
  scenarioKey: 'promo',
};
export const HELLO: MessageContent = {
  whatsApp: { text: 'Hello *Ben* | <b>bold</b>\nSee you at the store.' },
};
export const HELLO_OLD: MessageContent = { whatsApp: { text: 'Hello Ben' } };
export const MAP: MessageContent = {
  whatsApp: {
    locationName: 'Acme Zürich',
    address: 'Bahnhofstrasse 1, 8001 Zürich',
    latitude: 47.3769,
    longitude: 8.5417,
  },
};

const PHONES = [
  '41793026727',
  '447910000000',
  '41791234567',
  '41780000001',
  '41780000002',
  '41780000003',
  '41780000004',
  '4915112345678',
];

/** The messageId as compile derives it (the frequency cap finds a number's messages by it). */
export function idOf(spec: string, phone: string): string {
  return messageIdFor(spec, 1, phone);
}

function message(
  spec: string,
  phone: string,
  hash: string,
  content: MessageContent,
): CompiledMessage {
  return {
    spec,
    revision: 1,
    messageId: idOf(spec, phone),
    phoneNumber: phone,
    contentHash: hash,
    contentKey: JSON.stringify(content),
    content,
    origin: { file: `specs/${spec}.yaml`, line: 0, column: 0 },
  };
}

/** Compiled messages: promo to 5 recipients (send, retry, in-doubt), hello (unchanged, drift, rejected), map (send). */
export function fixtureMessages(): CompiledMessage[] {
  const [p0, p1, p2, p3, p4, p5, p6, p7] = PHONES as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return [
    message('black-friday', p0, 'h-promo', PROMO),
    message('black-friday', p1, 'h-promo', PROMO),
    message('black-friday', p2, 'h-promo', PROMO),
    message('black-friday', p3, 'h-promo', PROMO),
    message('black-friday', p4, 'h-promo', PROMO),
    message('store-hello', p0, 'h-hello', HELLO),
    message('store-hello', p1, 'h-hello', HELLO),
    message('store-hello', p5, 'h-hello', HELLO),
    message('store-hello', p6, 'h-hello', HELLO),
    message('store-hello', p7, 'h-map', MAP),
  ];
}

/** Journal: p1 failed, p2 in flight (black-friday); hello p0 accepted same, p1 accepted other, p5 rejected; an orphan. */
export async function writeFixtureState(dirOrStore: string | StateStore): Promise<void> {
  const store = typeof dirOrStore === 'string' ? openFileStateStore(dirOrStore) : dirOrStore;
  const m = (spec: string, phone: string, contentHash: string) => ({
    messageId: idOf(spec, phone),
    spec,
    phoneNumber: phone,
    contentHash,
  });
  const [p0, p1, p2, , , p5] = PHONES as [string, string, string, string, string, string];
  await store.append([
    inFlight('BULK1', '2026-01-10T10:00:00.000Z', [
      m('store-hello', p0, 'h-hello'),
      m('store-hello', p5, 'h-hello'),
      m('store-hello', '41790000099', 'h-hello'),
    ]),
    outcome('BULK1', '2026-01-10T10:00:01.000Z', [
      { messageId: idOf('store-hello', p0), outcome: 'accepted', statusName: 'PENDING_ENROUTE' },
      {
        messageId: idOf('store-hello', p5),
        outcome: 'rejected',
        statusName: 'REJECTED_DESTINATION',
      },
      {
        messageId: idOf('store-hello', '41790000099'),
        outcome: 'accepted',
        statusName: 'PENDING_ENROUTE',
      },
    ]),
    // Kept since contents are (the first request of h-hello predates that: its content is unknown).
    {
      v: 3,
      type: 'content',
      at: '2026-01-10T10:00:02.000Z',
      hash: 'h-hello-old',
      content: HELLO_OLD,
    },
    inFlight('BULK2', '2026-01-10T10:00:02.000Z', [m('store-hello', p1, 'h-hello-old')]),
    outcome('BULK2', '2026-01-10T10:00:03.000Z', [
      { messageId: idOf('store-hello', p1), outcome: 'accepted', statusName: 'PENDING_ENROUTE' },
    ]),
    inFlight('BULK3', '2026-01-10T10:00:04.000Z', [
      m('black-friday', p1, 'h-promo'),
      m('black-friday', p2, 'h-promo'),
    ]),
    outcome('BULK3', '2026-01-10T10:00:05.000Z', [
      {
        messageId: idOf('black-friday', p1),
        outcome: 'failed',
        httpStatus: 503,
        error: 'HTTP 503 Service Unavailable',
      },
    ]),
  ]);
}

export const FIXTURE_NOW = new Date('2026-02-01T12:00:00.000Z');

/** A plan of these specs, contents and entries, with the fixed rest (time, empty inputs, options) and its summary. */
export function planFrom(
  parts: Pick<Plan, 'specs' | 'contents' | 'entries'> & Partial<Plan>,
): Plan {
  return {
    formatVersion: 1,
    createdAt: FIXTURE_NOW.toISOString(),
    inputs: { files: [], state: { location: '.waspec', sha256: '0'.repeat(64) } },
    options: { retryRejected: false, resendInDoubt: false, targets: [] },
    diagnostics: [],
    ...parts,
    summary: summarizeEntries(parts.entries),
  };
}

/** The whole Plan, as buildPlan would assemble it, from the fixture state in `dir` (or a store). */
export async function buildFixturePlan(dirOrStore: string | StateStore): Promise<Plan> {
  await writeFixtureState(dirOrStore);
  const store = typeof dirOrStore === 'string' ? openFileStateStore(dirOrStore) : dirOrStore;
  const snapshot = await store.read();
  const { entries, contents } = await classifyMessages(fixtureMessages(), snapshot, {
    revisions: new Map([
      ['black-friday', 1],
      ['store-hello', 1],
    ]),
  });
  return {
    formatVersion: 1,
    createdAt: FIXTURE_NOW.toISOString(),
    specs: [
      { name: 'black-friday', file: 'specs/black-friday.yaml', revision: 1, batchSize: 100 },
      { name: 'store-hello', file: 'specs/store-hello.yaml', revision: 1, batchSize: 100 },
    ],
    contents,
    ...(await lookUpContents(entries, snapshot, store)),
    entries,
    summary: summarizeEntries(entries),
    inputs: {
      files: [
        { path: 'specs/black-friday.yaml', kind: 'spec', sha256: 'a'.repeat(64) },
        { path: 'specs/store-hello.yaml', kind: 'spec', sha256: 'b'.repeat(64) },
        { path: 'specs/recipients/vip.csv', kind: 'recipients', sha256: 'c'.repeat(64) },
      ],
      state: { location: '.waspec', sha256: 'd'.repeat(64), records: 7 },
    },
    options: { retryRejected: false, resendInDoubt: false, targets: [], paths: ['specs'] },
    diagnostics: [],
  };
}

export const FIXTURE_PHONES = PHONES;
