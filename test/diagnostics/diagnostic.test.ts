import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasErrors, makeDiagnostic } from '../../src/diagnostics/diagnostic.js';

test('warnings alone are not errors', () => {
  const warning = makeDiagnostic('phone-duplicate', 'dup', {}, { severity: 'warning' });
  assert.is(hasErrors([warning]), false);
  assert.is(hasErrors([warning, makeDiagnostic('yaml-syntax', 'bad')]), true);
});

test.run();
