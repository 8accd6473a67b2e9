import { fail, quote } from '../core/errors';
import { ENVOY_MAX_REGEX_PROGRAM_SIZE, validateRe2 } from '../core/re2';

/** How a string is compared. */
export enum StringMatchKind {
  EXACT = 'exact',
  PREFIX = 'prefix',
  REGEX = 'regex',
}

/** A string comparison: exact, prefix or RE2 regex. */
export class StringMatch {
  public static exact(value: string): StringMatch {
    return new StringMatch(StringMatchKind.EXACT, value);
  }
  public static prefix(value: string): StringMatch {
    return new StringMatch(StringMatchKind.PREFIX, value);
  }
  /** An RE2 expression (the dialect of Envoy and Cilium), checked with a real RE2 parser and Envoy's program-size limit. */
  public static regex(pattern: string, where = 'StringMatch.regex'): StringMatch {
    return new StringMatch(StringMatchKind.REGEX, validateRe2(where, 'pattern', pattern, { maxProgramSize: ENVOY_MAX_REGEX_PROGRAM_SIZE }));
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
