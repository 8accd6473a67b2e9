import { fail, quote } from '../../core/errors';

/** Which side of a connection a telemetry setting applies to. */
export enum TelemetryDirection {
  /** Both the client (outbound) and the server (inbound) side. */
  CLIENT_AND_SERVER = 'CLIENT_AND_SERVER',
  /** Only where the workload is the client. */
  CLIENT = 'CLIENT',
  /** Only where the workload is the server. */
  SERVER = 'SERVER',
}

/** Istio's standard metrics, for metric overrides. */
export enum IstioMetric {
  ALL_METRICS = 'ALL_METRICS',
  REQUEST_COUNT = 'REQUEST_COUNT',
  REQUEST_DURATION = 'REQUEST_DURATION',
  REQUEST_SIZE = 'REQUEST_SIZE',
  RESPONSE_SIZE = 'RESPONSE_SIZE',
  TCP_OPENED_CONNECTIONS = 'TCP_OPENED_CONNECTIONS',
  TCP_CLOSED_CONNECTIONS = 'TCP_CLOSED_CONNECTIONS',
  TCP_SENT_BYTES = 'TCP_SENT_BYTES',
  TCP_RECEIVED_BYTES = 'TCP_RECEIVED_BYTES',
  GRPC_REQUEST_MESSAGES = 'GRPC_REQUEST_MESSAGES',
  GRPC_RESPONSE_MESSAGES = 'GRPC_RESPONSE_MESSAGES',
}

function nonEmpty(where: string, prop: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(where, prop, `must be a non-empty string, got ${quote(value)}`, 'pass a value');
  return value;
}

/**
 * A tag added to every span.
 *
 * @example
 * CustomTag.literal('production')
 * CustomTag.header('x-user-id', 'anonymous')
 * CustomTag.environment('POD_NAME')
 */
export class CustomTag {
  /** The same value on every span. */
  public static literal(value: string): CustomTag {
    return new CustomTag({ literal: { value: nonEmpty('CustomTag.literal', 'value', value) } });
  }

  /** The value of a request header. */
  public static header(name: string, defaultValue?: string): CustomTag {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name ?? '')) fail('CustomTag.header', 'name', `must be an HTTP header name, got ${quote(name)}`, 'pass e.g. "x-user-id"');
    return new CustomTag({ header: { name: name.toLowerCase(), defaultValue } });
  }

  /** The value of an environment variable of the proxy. */
  public static environment(name: string, defaultValue?: string): CustomTag {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name ?? '')) fail('CustomTag.environment', 'name', `must be an environment variable name, got ${quote(name)}`, 'pass e.g. "POD_NAME"');
    return new CustomTag({ environment: { name, defaultValue } });
  }

  private constructor(private readonly value: Record<string, Record<string, string | undefined>>) {}

  /** @internal */
  public _toKube(): Record<string, Record<string, string | undefined>> {
    return structuredClone(this.value);
  }
}

/**
 * Which requests are logged: a CEL expression over Envoy attributes.
 *
 * @example
 * AccessLogFilter.ERRORS                          // response.code >= 400
 * AccessLogFilter.expression('response.duration > duration("1s")')
 */
export class AccessLogFilter {
  /** Only requests answered with 4xx or 5xx. */
  public static readonly ERRORS = new AccessLogFilter('response.code >= 400');
  /** Only requests answered with 5xx. */
  public static readonly SERVER_ERRORS = new AccessLogFilter('response.code >= 500');

  /** Any CEL expression (https://istio.io/latest/docs/tasks/observability/logs/telemetry-api/). */
  public static expression(expression: string): AccessLogFilter {
    const e = nonEmpty('AccessLogFilter.expression', 'expression', expression);
    let depth = 0;
    for (const ch of e) {
      depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
      if (depth < 0) break;
    }
    if (depth !== 0) fail('AccessLogFilter.expression', 'expression', `has unbalanced parentheses: ${quote(e)}`, 'balance the parentheses');
    return new AccessLogFilter(e);
  }

  private constructor(
    /**
     * The CEL expression. TypeScript only (`@jsii ignore`: jsii forbids an instance member named
     * like the static `expression()`); the filter renders it itself.
     * @jsii ignore
     */
    public readonly expression: string,
  ) {}
}

/**
 * A change to a metric's tags (labels).
 *
 * @example
 * TagOverride.remove()                              // drop a high-cardinality label
 * TagOverride.upsert('request.host')                // set it from a CEL expression
 */
export class TagOverride {
  public static remove(): TagOverride {
    return new TagOverride('REMOVE');
  }

  /** Adds or replaces the tag with the value of a CEL expression. */
  public static upsert(value: string): TagOverride {
    return new TagOverride('UPSERT', nonEmpty('TagOverride.upsert', 'value', value));
  }

  private constructor(public readonly operation: string, public readonly value?: string) {}
}
