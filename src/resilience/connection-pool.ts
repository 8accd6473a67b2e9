import { Duration } from 'cdk8s';
import { validateDuration } from '../core/duration';
import { fail, quote } from '../core/errors';

/** Whether HTTP/1.1 connections to the upstream are upgraded to HTTP/2. */
export enum H2UpgradePolicy {
  /** Use the mesh-wide setting. */
  DEFAULT = 'DEFAULT',
  /** Never upgrade. */
  DO_NOT_UPGRADE = 'DO_NOT_UPGRADE',
  /** Upgrade to HTTP/2 (fewer connections; the upstream must speak h2c). */
  UPGRADE = 'UPGRADE',
}

/** TCP keepalive probes on upstream connections. */
export interface TcpKeepalive {
  /** @default - the OS default (Linux: 9) */
  readonly probes?: number;
  /** Idle time before the first probe. @default - the OS default (Linux: 2h) */
  readonly time?: Duration;
  /** Time between probes. @default - the OS default (Linux: 75s) */
  readonly interval?: Duration;
}

/** Props of a {@link ConnectionPool}. Every field is optional; unset fields keep the mesh's defaults. */
export interface ConnectionPoolProps {
  /** Most TCP connections to one upstream host (`tcp.maxConnections`). @default - 2^32-1 (unlimited) */
  readonly maxConnections?: number;
  /** TCP connect timeout (`tcp.connectTimeout`). @default 10s */
  readonly connectTimeout?: Duration;
  /** @default - no keepalive probes */
  readonly tcpKeepalive?: TcpKeepalive;
  /** Most requests queued while waiting for a connection (`http.http1MaxPendingRequests`). @default - 2^32-1 */
  readonly http1MaxPendingRequests?: number;
  /** Most concurrent requests to the destination (`http.http2MaxRequests`, HTTP/1.1 too). @default - 2^32-1 */
  readonly http2MaxRequests?: number;
  /** Requests per connection before it is closed; 1 disables keep-alive (`http.maxRequestsPerConnection`). @default - unlimited */
  readonly maxRequestsPerConnection?: number;
  /** Most concurrent retries to the destination across all hosts (`http.maxRetries`). @default - 2^32-1 */
  readonly maxRetries?: number;
  /** Close upstream connections idle this long (`http.idleTimeout`). @default 1h */
  readonly idleTimeout?: Duration;
  /** @default H2UpgradePolicy.DEFAULT */
  readonly h2UpgradePolicy?: H2UpgradePolicy;
}

/** Istio's limit for the connection-pool counters (int32). */
export const CONNECTION_POOL_MAX = 2_147_483_647;

const COUNTERS = ['maxConnections', 'http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries'] as const;

/**
 * Connection-pool limits (a bulkhead): how many connections and requests the callers' proxies allow
 * to a service or version; excess requests fail fast with 503 instead of queueing.
 *
 * @example
 * new ConnectionPool({ maxConnections: 100, http1MaxPendingRequests: 50, http2MaxRequests: 100 })
 */
export class ConnectionPool {
  /** Istio's limit for the connection-pool counters, int32 (`CONNECTION_POOL_MAX`). */
  public static readonly MAX = CONNECTION_POOL_MAX;
  public readonly maxConnections?: number;
  public readonly connectTimeout?: Duration;
  public readonly tcpKeepalive?: TcpKeepalive;
  public readonly http1MaxPendingRequests?: number;
  public readonly http2MaxRequests?: number;
  public readonly maxRequestsPerConnection?: number;
  public readonly maxRetries?: number;
  public readonly idleTimeout?: Duration;
  public readonly h2UpgradePolicy?: H2UpgradePolicy;

  public constructor(props: ConnectionPoolProps) {
    const where = 'ConnectionPool';
    for (const key of COUNTERS) {
      const v = props[key];
      if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > CONNECTION_POOL_MAX)) {
        fail(where, key, `must be a whole number from 1 to ${CONNECTION_POOL_MAX}, got ${quote(v)}`, `pass a positive limit such as 100${key === 'maxConnections' ? '' : ', or leave it unset for no limit'}`);
      }
    }
    if (props.connectTimeout) validateDuration(where, 'connectTimeout', props.connectTimeout);
    if (props.idleTimeout) validateDuration(where, 'idleTimeout', props.idleTimeout);
    if (props.tcpKeepalive) {
      const k = props.tcpKeepalive;
      if (k.probes !== undefined && (!Number.isInteger(k.probes) || k.probes < 1 || k.probes > 1000)) fail(where, 'tcpKeepalive.probes', `must be a whole number from 1 to 1000, got ${quote(k.probes)}`, 'pass e.g. 3');
      if (k.time) validateDuration(where, 'tcpKeepalive.time', k.time);
      if (k.interval) validateDuration(where, 'tcpKeepalive.interval', k.interval);
    }
    if (props.h2UpgradePolicy !== undefined && !Object.values(H2UpgradePolicy).includes(props.h2UpgradePolicy)) {
      fail(where, 'h2UpgradePolicy', `is not a known policy, got ${quote(props.h2UpgradePolicy)}`, 'use H2UpgradePolicy.DEFAULT, DO_NOT_UPGRADE or UPGRADE');
    }
    if (Object.values(props).every((v) => v === undefined)) fail(where, 'props', 'set no limit', 'set at least one field, e.g. maxConnections: 100');
    this.maxConnections = props.maxConnections;
    this.connectTimeout = props.connectTimeout;
    this.tcpKeepalive = props.tcpKeepalive ? { ...props.tcpKeepalive } : undefined;
    this.http1MaxPendingRequests = props.http1MaxPendingRequests;
    this.http2MaxRequests = props.http2MaxRequests;
    this.maxRequestsPerConnection = props.maxRequestsPerConnection;
    this.maxRetries = props.maxRetries;
    this.idleTimeout = props.idleTimeout;
    this.h2UpgradePolicy = props.h2UpgradePolicy;
  }

  /** True when a TCP setting is set. */
  public get hasTcp(): boolean {
    return this.maxConnections !== undefined || this.connectTimeout !== undefined || this.tcpKeepalive !== undefined;
  }

  /** True when an HTTP setting is set. */
  public get hasHttp(): boolean {
    return [this.http1MaxPendingRequests, this.http2MaxRequests, this.maxRequestsPerConnection, this.maxRetries, this.idleTimeout, this.h2UpgradePolicy].some((v) => v !== undefined);
  }
}
