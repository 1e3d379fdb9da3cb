import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatUrl, formatWhatsAppText } from '../../src/report/format-text.js';
import { renderBubbleContent, renderButtons } from '../../src/report/render-bubble.js';
import { renderPlanHtml } from '../../src/report/plan-html.js';
import { MAX_BUBBLES } from '../../src/report/render-page.js';
import { buildFixturePlan } from '../plan/fixture-plan.js';
import { withTmpDir } from '../state/tmp-dir.js';

test('WhatsApp formatting: bold, italic, strike, mono, line breaks', () => {
  assert.is(formatWhatsAppText('*Hi* _you_ ~old~'), '<strong>Hi</strong> <em>you</em> <s>old</s>');
  assert.is(formatWhatsAppText('a\nb'), 'a<br>b');
  assert.is(formatWhatsAppText('```*not bold*```'), '<code>*not bold*</code>');
  assert.is(formatWhatsAppText('2*3*4'), '2*3*4');
  assert.is(formatWhatsAppText('* not bold * snake_case_name'), '* not bold * snake_case_name');
  assert.is(
    formatWhatsAppText('*_both_* and "*quoted*"'),
    '<strong><em>both</em></strong> and &#34;<strong>quoted</strong>&#34;',
  );
});

test('all text is escaped: a message cannot inject markup or script', () => {
  const html = formatWhatsAppText(
    '<script>window.pwned=1</script> <img src=x onerror="alert(1)"> *<b>x</b>*',
  );
  assert.not.match(html, /<script|<img|<b>/);
  assert.match(html, /&#60;script&#62;/);
  assert.match(html, /<strong>&#60;b&#62;x&#60;\/b&#62;<\/strong>/);
});

test('only http(s) URLs become links', () => {
  assert.match(formatUrl('https://a.example/x.png'), /^<a href="https:\/\/a.example\/x.png"/);
  assert.not.match(formatUrl('javascript:alert(1)'), /<a /);
  assert.match(formatUrl('https://a.example/"onmouseover="x'), /&#34;onmouseover=&#34;/);
});

test('a media template shows header, parameters and buttons; scheduled and scenario are shown', () => {
  const content = {
    whatsApp: {
      templateName: 'promo',
      language: 'en_GB',
      templateData: ['Anna'],
      mediaTemplateData: {
        header: { imageUrl: 'https://cdn.example/h.png' },
        body: { placeholders: ['20%'] },
        buttons: [{ urlPlaceholder: 'offer/A1' }, { quickReplyPayload: 'STOP' }],
      },
    },
    sendAt: '2030-01-01T09:00:00+01:00',
    scenarioKey: 'care',
  };
  const html = renderBubbleContent(content);
  for (const part of [
    'promo',
    'en_GB',
    'Anna',
    'href="https://cdn.example/h.png"',
    '20%',
    'scheduled 2030-01-01T09:00:00+01:00',
    'scenario care',
  ])
    assert.ok(html.includes(part), part);
  const buttons = renderButtons(content);
  assert.match(buttons, /class="button button-url">.*offer\/A1/);
  assert.match(buttons, /class="button button-reply">.*STOP/);
});

test('media and location cards escape everything and link only http(s) URLs', () => {
  const html = renderBubbleContent({
    whatsApp: {
      imageUrl: 'javascript:alert(1)',
      videoUrl: 'https://v.example/"><script>x</script>',
      locationName: '<b>Shop</b>',
      address: "O'Street",
      latitude: 47.1,
      longitude: 8.2,
    },
  });
  assert.not.match(html, /href="javascript|<script|<b>/);
  assert.match(html, /<span class="url">javascript:alert\(1\)<\/span>/);
  assert.match(html, /href="https:\/\/v.example\/&#34;&#62;&#60;script&#62;/);
  assert.match(html, /&#60;b&#62;Shop&#60;\/b&#62;[\s\S]*O&#39;Street[\s\S]*47\.1, 8\.2/);
});

test('plan --format html is one self-contained page: no external assets, no script', () =>
  withTmpDir(async (dir) => {
    const html = renderPlanHtml(await buildFixturePlan(`${dir}/state`), { mask: true });
    assert.match(html, /^<!doctype html>/);
    assert.not.match(html, /<script/);
    assert.not.match(html, /<link|src="http|url\(http/);
    assert.match(html, /script-src 'none'/);
    assert.match(html, /connect-src 'none'/);
    assert.not.match(html, /41793026727/);
    assert.match(html, /417\*\*\*\*6727/);
  }));

test('html: a spec name and an earlier content with markup and bidi characters are inert in the list of specs, the chat and the drift card', () =>
  withTmpDir(async (dir) => {
    const plan = await buildFixturePlan(`${dir}/state`);
    const name = '<img src=x onerror=alert(1)>\u202Eevil';
    for (const s of plan.specs) if (s.name === 'black-friday') s.name = name;
    for (const e of plan.entries) if (e.spec === 'black-friday') e.spec = name;
    const earlier = plan.previousContents?.['h-hello-old'];
    assert.ok(earlier, 'the fixture keeps the earlier content of the drift');
    earlier.content = { whatsApp: { text: '<script>x</script>\u202E' } };
    const html = renderPlanHtml(plan, { mask: true });
    assert.not.match(html, /<img|<script>x|\u202e/);
    assert.match(
      html,
      '<li><a href="#spec-1">&#60;img src=x onerror=alert(1)&#62;\\u{202E}evil</a>',
    );
    assert.match(html, 'data-spec="&#60;img src=x onerror=alert(1)&#62;\\u{202E}evil"');
    assert.match(
      html,
      '<span class="value">&#60;<del>script</del>&#62;<del>x</del>&#60;/<del>script</del>&#62;<del>\\u{202E}</del></span>',
    );
  }));

test('html: a spec of more distinct contents than a page shows lists the first MAX_BUBBLES and counts the rest', () =>
  withTmpDir(async (dir) => {
    const plan = await buildFixturePlan(`${dir}/state`);
    const [first] = plan.specs;
    assert.ok(first, 'the fixture has a spec');
    const entries = [...plan.entries];
    plan.entries = entries;
    const spec = { ...first, name: 'personal', file: 'specs/personal.yaml' };
    plan.specs.push(spec);
    const extra = MAX_BUBBLES + 30;
    for (let i = 0; i < extra; i++) {
      const contentHash = `personal-${i}`;
      plan.contents[contentHash] = { whatsApp: { text: `Hi person number ${i}` } };
      entries.push({
        action: 'send',
        messageId: `m-${i}`,
        spec: spec.name,
        revision: spec.revision,
        phoneNumber: `+4179${String(i).padStart(7, '0')}`,
        contentHash,
      });
    }
    const html = renderPlanHtml(plan, { mask: true });
    const section = html.slice(html.indexOf('data-spec="personal"'));
    const chat = section.slice(0, section.indexOf('</section>'));
    assert.is(chat.split('class="bubble-row').length - 1, MAX_BUBBLES);
    assert.match(chat, `Hi person number ${MAX_BUBBLES - 1}<`);
    assert.not.match(chat, `Hi person number ${MAX_BUBBLES}<`);
    assert.match(
      chat,
      `30 more contents to 30 recipients not shown: the page shows the first ${MAX_BUBBLES} of a spec.`,
    );
  }));

test.run();
