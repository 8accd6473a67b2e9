import { RE2JS } from 're2js';
import { ErrorSource, fail, quote } from './errors';

/**
 * The largest compiled program Istio's Envoy accepts: Istio sets the runtime key
 * `re2.max_program_size.error_level` to 32768 in every proxy's bootstrap (Envoy's own default is 100).
 * RE2JS (a port of RE2/J) counts instructions a little differently from C++ RE2, so this is an
 * approximation of Envoy's check, not an exact copy.
 */
export const ENVOY_MAX_REGEX_PROGRAM_SIZE = 32768;

/** Options of {@link validateRe2}. */
export interface Re2Options {
  /** Refuse programs larger than this (Envoy's limit). @default - no limit */
  readonly maxProgramSize?: number;
  /** The data plane that reads the expression, for messages. @default 'Envoy' */
  readonly engine?: string;
}

/** JavaScript-only syntax RE2 refuses, with a fix for each. */
const JS_ONLY: ReadonlyArray<readonly [RegExp, string, string]> = [
  [/\(\?<?[=!]/, 'look-around', 'rewrite the expression without (?=, (?!, (?<= or (?<!'],
  [/\\[1-9]|\\k</, 'a back-reference', 'rewrite the expression without \\1 or \\k<name>'],
];

/**
 * Checks that a regular expression is valid RE2, the dialect of Envoy (Istio), Cilium's proxy and
 * Go (Prometheus, Alertmanager), by compiling it with a real RE2 implementation (RE2JS). RE2 accepts
 * `(?i)`, POSIX classes and `\x{41}`, and refuses look-around, back-references, `\cA` and repeat
 * counts over 1000, which JavaScript's engine sees the other way round.
 */
export function validateRe2(source: ErrorSource, prop: string, pattern: string, options: Re2Options = {}): string {
  const engine = options.engine ?? 'Envoy';
  if (typeof pattern !== 'string') fail(source, prop, `must be a regular expression string, got ${quote(pattern)}`, 'pass an RE2 expression such as "^/api/v[0-9]+"');
  let program: number;
  try {
    program = RE2JS.compile(pattern).programSize();
  } catch (e) {
    for (const [re, what, fix] of JS_ONLY) {
      if (re.test(pattern)) fail(source, prop, `uses ${what}, which RE2 (the regex dialect of ${engine}) does not support: ${quote(pattern)}`, fix);
    }
    const reason = (e as Error).message.replace(/^error parsing regexp: /, '');
    return fail(source, prop, `is not a valid RE2 expression (the regex dialect of ${engine}): ${quote(pattern)} (${reason})`,
      'fix the expression; RE2 syntax is documented at github.com/google/re2/wiki/Syntax');
  }
  if (options.maxProgramSize !== undefined && program > options.maxProgramSize) {
    fail(source, prop, `compiles to an RE2 program of about ${program} instructions, more than ${engine}'s limit of ${options.maxProgramSize}: ${quote(pattern.length > 80 ? `${pattern.slice(0, 80)}...` : pattern)}`,
      'simplify the expression: smaller repeat counts, fewer alternatives');
  }
  return pattern;
}

/** Escapes a literal for use inside an RE2 expression. */
export function escapeRe2(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The RE2 regex a prefix string match renders as where the API has no prefix match (`^value.*`). */
export function prefixRegex(prefix: string): string {
  return `^${escapeRe2(prefix)}.*`;
}
