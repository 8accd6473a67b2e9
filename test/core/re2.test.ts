import * as fc from 'fast-check';
import { MeshConfigError } from '../../src';
import { ENVOY_MAX_REGEX_PROGRAM_SIZE, validateRe2 } from '../../src/core/re2';
import { Match } from '../../src/traffic/match';

const check = (p: string): string => validateRe2('T', 'pattern', p, { maxProgramSize: ENVOY_MAX_REGEX_PROGRAM_SIZE });

describe('validateRe2 (a real RE2 parser, not JavaScript\'s)', () => {
  test.each(['(?i)jason', '[[:alpha:]]+', '\\x{41}', '\\pL+', '(?P<v>v[0-9]+)', '\\Qa.b\\E', 'a{1000}', '(?s).*\\z'])('accepts RE2 syntax JavaScript refuses or reads differently: %s', (p) => {
    expect(check(p)).toBe(p);
    expect(() => Match.header('end-user').regex(p)).not.toThrow();
  });

  test.each([
    ['a{1001}', /invalid repeat count/],
    ['\\cA', /invalid escape sequence/],
    ['(a{100}){100}', /invalid repeat count/],
    ['\\u0041', /invalid escape sequence/],
  ])('refuses %s, which JavaScript accepts but RE2 does not', (p, reason) => {
    expect(() => new RegExp(p)).not.toThrow();
    expect(() => check(p)).toThrow(MeshConfigError);
    expect(() => check(p)).toThrow(reason);
    expect(() => Match.path.regex(`/${p}`)).toThrow(/Match.path.regex: pattern is not a valid RE2 expression \(the regex dialect of Envoy\).*Fix: fix the expression; RE2 syntax/);
  });

  test('refuses a program larger than Istio\'s Envoy accepts (re2.max_program_size.error_level 32768)', () => {
    const big = '[a-z]{1000}'.repeat(40);
    expect(() => check(big)).toThrow(/compiles to an RE2 program of about \d+ instructions, more than Envoy's limit of 32768.*Fix: simplify the expression/);
    expect(() => validateRe2('T', 'pattern', big)).not.toThrow();
  });

  test('names the engine it checks for', () => {
    expect(() => validateRe2('AlertMatcher', 'value', '(?=a)', { engine: 'Alertmanager (Go regexp)' })).toThrow(/AlertMatcher: value uses look-around, which RE2 \(the regex dialect of Alertmanager \(Go regexp\)\) does not support/);
  });

  // A small RE2 grammar: literals, classes (POSIX and Unicode), RE2-only escapes and flags, groups,
  // alternation and bounded repeats. Every pattern it builds is valid RE2.
  const atom = fc.oneof(
    fc.stringMatching(/^[a-z0-9]{1,3}$/),
    fc.constantFrom('.', '\\d', '\\w', '\\s', '[a-f0-9]', '[[:alpha:]]', '[[:digit:]]', '\\pL', '\\p{Greek}', '\\x{41}', '\\x41', '\\Q*+\\E', '\\b', '^', '$', '\\A', '\\z'),
  );
  const re2 = fc.letrec<{ expr: string; term: string }>((tie) => ({
    term: fc.oneof(
      { weight: 3, arbitrary: atom },
      { weight: 1, arbitrary: fc.tuple(tie('expr'), fc.constantFrom('(', '(?:', '(?i:', '(?s:')).map(([e, open]) => `${open}${e})`) },
      { weight: 1, arbitrary: fc.tuple(atom, fc.constantFrom('*', '+', '?', '{2}', '{1,5}', '{0,}', '*?', '+?')).map(([a, q]) => (/^[\^$]|\\[Abz]$/.test(a) ? a : `(?:${a})${q}`)) },
    ),
    expr: fc.oneof(
      { weight: 3, arbitrary: fc.array(tie('term'), { minLength: 1, maxLength: 4 }).map((t) => t.join('')) },
      { weight: 1, arbitrary: fc.tuple(tie('term'), tie('term')).map(([a, b]) => `${a}|${b}`) },
    ),
  })).expr;

  test('random RE2 patterns (with RE2-only syntax) are accepted', () => {
    fc.assert(fc.property(fc.constantFrom('', '(?i)', '(?s)', '(?U)'), re2, (flags, p) => {
      expect(check(flags + p)).toBe(flags + p);
    }), { numRuns: 300 });
  });

  test('random patterns with look-around or back-references are refused with a clear error', () => {
    const jsOnly = fc.tuple(re2, fc.constantFrom('(?=x)', '(?!x)', '(?<=x)', '(?<!x)', '(a)\\1-', '(?<n>a)\\k<n>'), re2)
      .map(([a, js, b]) => `${a}${js}${b}`);
    fc.assert(fc.property(jsOnly, (p) => {
      expect(() => check(p)).toThrow(/T: pattern uses (look-around|a back-reference), which RE2 \(the regex dialect of Envoy\) does not support: .*Fix: rewrite the expression without/);
    }), { numRuns: 200 });
  });
});
