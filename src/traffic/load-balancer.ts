import { Duration } from 'cdk8s';
import { fail, quote } from '../core/errors';
import { isHttpToken } from '../core/names';

/** Simple load-balancing algorithms. */
export enum LoadBalancerAlgorithm {
  ROUND_ROBIN = 'ROUND_ROBIN',
  LEAST_REQUEST = 'LEAST_REQUEST',
  RANDOM = 'RANDOM',
  /** Forward to the address the caller asked for; no balancing. */
  PASSTHROUGH = 'PASSTHROUGH',
}

/** What a consistent hash is computed from. */
export enum HashSource {
  HEADER = 'header',
  COOKIE = 'cookie',
  SOURCE_IP = 'source-ip',
  QUERY_PARAMETER = 'query-parameter',
}

/** Options for cookie-based consistent hashing. */
export interface HashCookieOptions {
  /**
   * Lifetime of the cookie Envoy generates when the request has none.
   * @default - no cookie is generated; requests without it are hashed on nothing in particular
   */
  readonly ttl?: Duration;
  /** @default - no path attribute */
  readonly path?: string;
}

/** Factories for consistent-hash (session affinity) load balancers. */
export class ConsistentHashBuilder {
  public header(name: string): LoadBalancer {
    if (!isHttpToken(name)) fail('LoadBalancer.consistentHash.header', 'name', `must be an HTTP header name, got ${quote(name)}`, 'use e.g. "x-user-id"');
    return LoadBalancer._of({ hash: { source: HashSource.HEADER, name: name.toLowerCase() } });
  }
  public cookie(name: string, options: HashCookieOptions = {}): LoadBalancer {
    if (!isHttpToken(name)) fail('LoadBalancer.consistentHash.cookie', 'name', `must be a cookie name, got ${quote(name)}`, 'use e.g. "session"');
    return LoadBalancer._of({ hash: { source: HashSource.COOKIE, name, ttl: options.ttl, path: options.path } });
  }
  public sourceIp(): LoadBalancer {
    return LoadBalancer._of({ hash: { source: HashSource.SOURCE_IP } });
  }
  public queryParameter(name: string): LoadBalancer {
    if (!name || /[\s&=]/.test(name)) fail('LoadBalancer.consistentHash.queryParameter', 'name', `must be a parameter name, got ${quote(name)}`, 'use e.g. "user"');
    return LoadBalancer._of({ hash: { source: HashSource.QUERY_PARAMETER, name } });
  }
}

/** The consistent-hash settings of a {@link LoadBalancer}. */
export interface ConsistentHash {
  readonly source: HashSource;
  readonly name?: string;
  readonly ttl?: Duration;
  readonly path?: string;
}

/**
 * How requests are spread over a service's endpoints.
 *
 * @example
 * LoadBalancer.LEAST_REQUEST
 * LoadBalancer.consistentHash.header('x-user-id')
 */
export class LoadBalancer {
  public static readonly ROUND_ROBIN = new LoadBalancer({ algorithm: LoadBalancerAlgorithm.ROUND_ROBIN });
  public static readonly LEAST_REQUEST = new LoadBalancer({ algorithm: LoadBalancerAlgorithm.LEAST_REQUEST });
  public static readonly RANDOM = new LoadBalancer({ algorithm: LoadBalancerAlgorithm.RANDOM });
  public static readonly PASSTHROUGH = new LoadBalancer({ algorithm: LoadBalancerAlgorithm.PASSTHROUGH });
  /** Session affinity: requests with the same key go to the same endpoint while the endpoint set is stable. */
  public static readonly consistentHash = new ConsistentHashBuilder();

  public readonly algorithm?: LoadBalancerAlgorithm;
  public readonly hash?: ConsistentHash;

  /** @internal */
  public static _of(d: { algorithm?: LoadBalancerAlgorithm; hash?: ConsistentHash }): LoadBalancer {
    return new LoadBalancer(d);
  }

  private constructor(d: { algorithm?: LoadBalancerAlgorithm; hash?: ConsistentHash }) {
    this.algorithm = d.algorithm;
    this.hash = d.hash;
  }

  public toString(): string {
    return this.algorithm ?? `consistent-hash(${this.hash?.source}${this.hash?.name ? `:${this.hash.name}` : ''})`;
  }
}
