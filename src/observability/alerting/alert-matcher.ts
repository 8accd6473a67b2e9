import { fail, quote } from '../../core/errors';
import { validateRe2 } from '../../core/re2';

/** An {@link AlertMatcher} in prometheus-operator form (`AlertmanagerConfig` `matchers[]`). */
export interface AlertMatcherConfig {
  readonly name: string;
  readonly value: string;
  /** `!=`, `=~` or `!~`. @default - equality */
  readonly matchType?: string;
}

/**
 * A label matcher of an Alertmanager route or inhibition rule (rendered as `matchers` with a
 * `matchType`, left out for equality; the deprecated `match` / `regex` forms are never used).
 */
export class AlertMatcher {
  /** `label = value`. */
  public static equalTo(label: string, value: string): AlertMatcher {
    return new AlertMatcher(label, '=', value);
  }
  /**
   * `label = value`; the same as {@link AlertMatcher.equalTo}, kept for TypeScript (jsii reserves
   * the name `equals` in other languages).
   * @jsii ignore
   */
  public static equals(label: string, value: string): AlertMatcher {
    return AlertMatcher.equalTo(label, value);
  }
  public static notEquals(label: string, value: string): AlertMatcher {
    return new AlertMatcher(label, '!=', value);
  }
  public static regex(label: string, value: string): AlertMatcher {
    return new AlertMatcher(label, '=~', value);
  }
  public static notRegex(label: string, value: string): AlertMatcher {
    return new AlertMatcher(label, '!~', value);
  }

  private constructor(public readonly label: string, public readonly matchType: string, public readonly value: string) {
    const where = 'AlertMatcher';
    if (typeof label !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) fail(where, 'label', `must be a label name, got ${quote(label)}`, 'pass e.g. "severity"');
    if (typeof value !== 'string') fail(where, 'value', `must be a string, got ${quote(value)}`, 'quote the value');
    if (matchType.includes('~')) validateRe2(where, 'value', value, { engine: 'Alertmanager (Go regexp)' });
  }

  /**
   * The matcher in prometheus-operator form. Equality leaves `matchType` out (the operator's
   * default is `=`): cdk8s writes a bare `matchType: =`, which YAML 1.1 readers such as PyYAML
   * take for the `value` type and cannot load.
   */
  public toConfig(): AlertMatcherConfig {
    return { name: this.label, value: this.value, matchType: this.matchType === '=' ? undefined : this.matchType };
  }
}
