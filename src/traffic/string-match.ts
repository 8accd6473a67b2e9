import { fail, quote } from '../core/errors';

/** How a string is compared. */
export enum StringMatchKind {
  EXACT = 'exact',
  PREFIX = 'prefix',
  REGEX = 'regex',
}

/**
 * Checks that a regular expression is valid RE2, the dialect Envoy (Istio) uses. JavaScript's
 * engine parses it first; constructs RE2 rejects (look-around, back-references) are refused.
 */
export function validateRe2(where: string, prop: string, pattern: string): string {
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    fail(where, prop, `is not a valid regular expression: ${quote(pattern)} (${(e as Error).message})`, 'fix the expression; Envoy uses RE2 syntax');
  }
  if (/\(\?<?[=!]/.test(pattern)) {
    fail(where, prop, `uses look-around, which RE2 does not support: ${quote(pattern)}`, 'rewrite the expression without (?=, (?!, (?<= or (?<!');
  }
  if (/\\[1-9]/.test(pattern) || /\\k</.test(pattern)) {
    fail(where, prop, `uses a back-reference, which RE2 does not support: ${quote(pattern)}`, 'rewrite the expression without \\1 or \\k<name>');
  }
  return pattern;
}

/** A string comparison: exact, prefix or RE2 regex. */
export class StringMatch {
  public static exact(value: string): StringMatch {
    return new StringMatch(StringMatchKind.EXACT, value);
  }
  public static prefix(value: string): StringMatch {
    return new StringMatch(StringMatchKind.PREFIX, value);
  }
  public static regex(pattern: string): StringMatch {
    return new StringMatch(StringMatchKind.REGEX, validateRe2('StringMatch.regex', 'pattern', pattern));
  }

  private constructor(public readonly kind: StringMatchKind, public readonly value: string) {
    if (typeof value !== 'string') {
      fail(`StringMatch.${kind}`, 'value', `must be a string, got ${quote(value)}`, 'pass a string');
    }
  }

  /** A stable textual form, used for ordering, conflict detection and diagrams. */
  public toString(): string {
    return `${this.kind}:${this.value}`;
  }
}
