import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { ApprovedTemplate } from '../../src/catalogue/types.js';
import { readSavedPlan, writeSavedPlan } from '../../src/plan/saved-plan.js';
import type { Plan } from '../../src/plan/types.js';
import { formatPlan } from '../../src/report/plan-format.js';
import { buildFixturePlan, PROMO } from '../plan/fixture-plan.js';
import { withTmpDir } from '../state/tmp-dir.js';

// The fixture's promo_offer: header image, body placeholders [Anna], templateData [Anna, 20%], a URL and a quick-reply button.
const PROMO_OFFER: ApprovedTemplate = {
  name: 'promo_offer',
  language: 'en_GB',
  header: { kind: 'image' },
  body: 'Hi *{{1}}*, Black Friday starts now.\nSee you soon.',
  footer: 'Reply STOP to opt out',
  buttons: [
    { kind: 'url', text: 'See the offer', url: 'https://acme.example/{{1}}' },
    { kind: 'quick_reply', text: 'Stop' },
  ],
};

async function planWithTemplates(dir: string): Promise<Plan> {
  const plan = await buildFixturePlan(join(dir, 'state'));
  plan.templates = [PROMO_OFFER];
  return plan;
}

test('pretty and markdown show an approved template as the phone shows it, not as numbered parameters', () =>
  withTmpDir(async (dir) => {
    const plan = await planWithTemplates(dir);
    const pretty = formatPlan(plan, { format: 'pretty' });
    assert.match(
      pretty,
      /\n {6}body {9}│ Hi \*Anna\*, Black Friday starts now\.\n {6} {12} │ See you soon\.\n/,
    );
    assert.match(pretty, /footer {7}│ Reply STOP to opt out/);
    assert.match(pretty, /button 1 {5}│ \[See the offer\] https:\/\/acme\.example\/offer\/A1/);
    assert.match(pretty, /button 2 {5}│ \[Stop\] quick reply "STOP"/);
    assert.not.match(pretty, /body placeholders|button 1 url/);
    // The body came from the placeholders: templateData is still shown, as it is sent.
    assert.match(pretty, /templateData {1}│ 1\. "Anna" {2}2\. "20%"/);
    const markdown = formatPlan(plan, { format: 'markdown' });
    assert.ok(
      markdown.includes('| body | Hi &#42;Anna&#42;, Black Friday starts now.<br>See you soon. |'),
      markdown,
    );
    assert.ok(
      markdown.includes('| button 1 | &#91;See the offer&#93; https://acme.example/offer/A1 |'),
    );
    assert.not.ok(markdown.includes('body placeholders'));
  }));

test('the HTML plan fills the body, applies WhatsApp formatting after the values are in, and escapes them', () =>
  withTmpDir(async (dir) => {
    const plan = await planWithTemplates(dir);
    const html = formatPlan(plan, { format: 'html' });
    assert.ok(
      html.includes(
        '<div class="text template-body">Hi <strong>Anna</strong>, Black Friday starts now.<br>See you soon.</div>',
      ),
      html,
    );
    assert.ok(html.includes('<div class="template-footer">Reply STOP to opt out</div>'));
    assert.match(
      html,
      /See the offer<small class="button-detail"><a href="https:\/\/acme\.example\/offer\/A1"/,
    );
    assert.match(html, /Stop<small class="button-detail">payload STOP<\/small>/);
    assert.not.match(html, /<div class="label">Body<\/div>/);

    const hostile = structuredClone(PROMO);
    hostile.whatsApp.mediaTemplateData = {
      ...hostile.whatsApp.mediaTemplateData,
      body: { placeholders: ['<img src=x onerror=alert(1)>'] },
    };
    plan.contents = Object.fromEntries(
      Object.entries(plan.contents).map(([hash, content]) => [
        hash,
        content.whatsApp.templateName ? hostile : content,
      ]),
    );
    const escaped = formatPlan(plan, { format: 'html' });
    assert.not.ok(escaped.includes('<img'), 'a value never becomes markup');
    assert.ok(escaped.includes('Hi <strong>&#60;img src=x onerror=alert(1)&#62;</strong>'));
  }));

test('a template the plan does not carry (no catalogue, or another language) keeps the numbered parameters', () =>
  withTmpDir(async (dir) => {
    const plan = await planWithTemplates(dir);
    plan.templates = [{ ...PROMO_OFFER, language: 'de_DE' }];
    const pretty = formatPlan(plan, { format: 'pretty' });
    assert.match(pretty, /body placeholders {4}│ 1\. "Anna"/);
    assert.not.match(pretty, /Black Friday starts now/);
    assert.match(formatPlan(plan, { format: 'html' }), /<div class="label">Body<\/div>/);
  }));

test('a saved plan keeps its templates (schemas/plan.schema.json), so `show` fills them in too', () =>
  withTmpDir(async (dir) => {
    const plan = await planWithTemplates(dir);
    await writeSavedPlan(join(dir, 'plan.json'), plan);
    const read = await readSavedPlan(join(dir, 'plan.json'));
    assert.equal(read.templates, [PROMO_OFFER]);
    assert.not.match(
      formatPlan(read, { format: 'pretty' }),
      /Anna/,
      'a saved plan holds no rendered parameters',
    );
    // With its contents restored (show does, from the spec and recipient files).
    assert.match(
      formatPlan({ ...read, contents: plan.contents }, { format: 'pretty' }),
      /body {9}│ Hi \*Anna\*/,
    );
  }));

test.run();
