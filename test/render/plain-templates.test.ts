import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Handlebars from 'handlebars';
import { plainPieces, renderPlain } from '../../src/render/templates.js';

// Templates of text and variables are printed without Handlebars' runtime: what they print must be
// what the strict, unescaped compiled template prints, or nothing (then the template runs).
const env = Handlebars.create();
const templates = [
  'Hi {{name}}, your code is {{code}}',
  '{{name}}',
  'plain text, no variable',
  '{{{name}}} & <b>{{code}}</b> "quoted"',
  '  {{~name~}}  |  {{code~}}\n  end',
  'a {{! a comment }} b\n{{!-- block --}}\nc {{name}}',
  '{{order.id}} of {{order.lines.[0]}}',
  '{{n}} {{t}} {{f}} {{z}} {{neg}}',
  '{{[odd key]}}-{{name}}',
];
const contexts: object[] = [
  {
    name: 'Anna <&>',
    code: 'C1',
    order: { id: 7, lines: ['x', 'y'] },
    n: 1.5,
    t: true,
    f: false,
    z: null,
    neg: -0,
    'odd key': 'ok',
  },
  Object.assign(Object.create(null) as object, {
    name: '',
    code: '{{not a template}}',
    order: { id: 'o', lines: ['0'] },
    n: 0,
    t: 'x',
    f: 'y',
    z: 'z',
    neg: 1e21,
    'odd key': '\u200b',
  }),
];

test('a plain template prints what Handlebars prints for every value it takes', () => {
  for (const source of templates) {
    const ast = env.parse(source);
    const pieces = plainPieces(ast, env.helpers);
    assert.ok(pieces, `plain: ${source}`);
    const template = env.compile(env.parse(source), { strict: true, noEscape: true });
    for (const context of contexts) {
      const plain = renderPlain(pieces ?? [], context);
      assert.is(plain, template(context), source);
    }
  }
});

test('what a plain render does not take is left to the template', () => {
  const pieces = plainPieces(env.parse('{{a.b}} {{c}}'), env.helpers) ?? [];
  for (const context of [
    { a: { b: 'x' } }, // c missing
    { a: 'text', c: 'x' }, // a.b of a string
    { a: null, c: 'x' },
    { a: { b: ['list'] }, c: 'x' },
    { a: { b: { nested: 1 } }, c: 'x' },
    { a: Object.create({ b: 'inherited' }) as object, c: 'x' },
  ])
    assert.is(renderPlain(pieces, context), undefined, JSON.stringify(context));
});

test('helpers, blocks, this, data and parent paths are not plain', () => {
  for (const source of [
    '{{#if a}}x{{/if}}',
    '{{lookup a "b"}}',
    '{{each}}',
    '{{this}}',
    '{{this.name}}',
    '{{./name}}',
    '{{@index}}',
    '{{../name}}',
    '{{name key=value}}',
    '{{#each list}}{{.}}{{/each}}',
  ])
    assert.is(plainPieces(env.parse(source), env.helpers), undefined, source);
});

test.run();
