import { fail, quote } from '../../core/errors';

const KEYS = [
  /^request\.headers\[[^\]\s]+\]$/, /^request\.auth\.claims\[[^\]\s]+\](\[[^\]\s]+\])*$/, /^request\.auth\.(principal|audiences|presenter)$/,
  /^source\.(ip|namespace|principal)$/, /^remote\.ip$/, /^destination\.(ip|port)$/, /^connection\.sni$/, /^experimental\.envoy\.filters\.[\w.]+\[[^\]]+\]$/,
];

/**
 * A `when` condition of an Istio authorization rule.
 *
 * @example
 * AuthorizationCondition.claim('role').in('admin', 'user')
 * AuthorizationCondition.key('source.ip').notIn('10.0.0.1')
 */
export class AuthorizationCondition {
  /** A condition on a JWT claim (`request.auth.claims[<name>]`); nested claims as `claim('a', 'b')`. Needs a RequestAuthentication. */
  public static claim(...path: string[]): AuthorizationConditionBuilder {
    if (path.length === 0 || path.some((p) => !p || /[\[\]\s]/.test(p))) {
      fail('AuthorizationCondition.claim', 'name', `must be one or more claim names without brackets or spaces, got ${quote(path)}`, 'pass e.g. claim("role") or claim("groups")');
    }
    return AuthorizationConditionBuilder._of(`request.auth.claims${path.map((p) => `[${p}]`).join('')}`);
  }

  /** A condition on a request header (`request.headers[<name>]`). */
  public static header(name: string): AuthorizationConditionBuilder {
    return AuthorizationCondition.key(`request.headers[${name}]`);
  }

  /** A condition on any supported key (`source.ip`, `request.auth.audiences`, `destination.port`, ...). */
  public static key(key: string): AuthorizationConditionBuilder {
    if (typeof key !== 'string' || !KEYS.some((re) => re.test(key))) {
      fail('AuthorizationCondition.key', 'key', `is not a condition key Istio supports, got ${quote(key)}`,
        'use e.g. request.headers[x-user], request.auth.claims[role], source.ip, source.namespace, destination.port, connection.sni');
    }
    return AuthorizationConditionBuilder._of(key);
  }

  /** @internal */
  public static _of(key: string, values?: string[], notValues?: string[]): AuthorizationCondition {
    return new AuthorizationCondition(key, values, notValues);
  }

  private constructor(
    /** The attribute the condition tests, e.g. `request.auth.claims[role]`. */
    public readonly conditionKey: string,
    /** The values of which the attribute must have one, if any. */
    public readonly values?: string[],
    /** The values the attribute must not have, if any. */
    public readonly notValues?: string[],
  ) {}

  /**
   * The attribute the condition tests.
   * @deprecated use `conditionKey` (in other languages `key` is only the static factory)
   * @jsii ignore
   */
  public get key(): string {
    return this.conditionKey;
  }

  /** @internal */
  public _render(): Record<string, unknown> {
    return { key: this.conditionKey, values: this.values, notValues: this.notValues };
  }
}

/** Completes an {@link AuthorizationCondition} with the values to match. */
export class AuthorizationConditionBuilder {
  /** @internal */
  public static _of(key: string): AuthorizationConditionBuilder {
    return new AuthorizationConditionBuilder(key);
  }

  private constructor(private readonly key: string) {}

  /** Matches when the key has one of `values` (`*` prefix/suffix wildcards allowed). */
  public in(...values: string[]): AuthorizationCondition {
    return AuthorizationCondition._of(this.key, check(this.key, 'values', values));
  }

  /** Matches when the key has none of `values`. */
  public notIn(...values: string[]): AuthorizationCondition {
    return AuthorizationCondition._of(this.key, undefined, check(this.key, 'notValues', values));
  }
}

function check(key: string, prop: string, values: string[]): string[] {
  if (values.length === 0 || values.some((v) => typeof v !== 'string' || v === '')) {
    fail(`AuthorizationCondition ${key}`, prop, `must list at least one non-empty value, got ${quote(values)}`, 'pass e.g. .in("admin", "user")');
  }
  return [...values];
}
