import { Duration } from 'cdk8s';
import { validateDuration } from '../core/duration';
import { fail } from '../core/errors';
import type { ConnectionPool } from './connection-pool';

/** Props of {@link ConnectionTimeouts}. At least one is set. */
export interface ConnectionTimeoutsProps {
  /** How long the caller's proxy waits for a TCP connection to an endpoint of the service. @default - the mesh's default (Istio: 10s) */
  readonly connectTimeout?: Duration;
  /** Close connections to the service that carried no request for this long. @default - the mesh's default (Istio: 1h) */
  readonly idleTimeout?: Duration;
}

/** The fields of {@link ConnectionTimeouts}, which are also fields of a {@link ConnectionPool}. */
const FIELDS = ['connectTimeout', 'idleTimeout'] as const;

/**
 * The connection-level timeouts of the traffic to a service: how long to wait for a TCP
 * connection, and when to close connections nobody uses. Istio renders them in the
 * DestinationRule's `trafficPolicy.connectionPool` (`tcp.connectTimeout`, `http.idleTimeout`)
 * beside any limits a circuit breaker sets there; `RequestPolicy` sets them next to the request
 * timeout.
 *
 * @example
 * new ConnectionTimeouts({ connectTimeout: Duration.seconds(2), idleTimeout: Duration.minutes(5) })
 */
export class ConnectionTimeouts {
  public readonly connectTimeout?: Duration;
  public readonly idleTimeout?: Duration;

  public constructor(props: ConnectionTimeoutsProps) {
    const where = 'ConnectionTimeouts';
    if (props.connectTimeout === undefined && props.idleTimeout === undefined) fail(where, 'props', 'set no timeout', 'set connectTimeout and/or idleTimeout');
    for (const f of FIELDS) if (props[f] !== undefined) validateDuration(where, f, props[f]!);
    this.connectTimeout = props.connectTimeout;
    this.idleTimeout = props.idleTimeout;
  }

  /** @internal The first timeout set both here and in `pool`, if any: both would set one Istio field. */
  public _sharedWith(pool: ConnectionPool): string | undefined {
    return FIELDS.find((f) => this[f] !== undefined && pool[f] !== undefined);
  }

  /**
   * @internal The timeouts that `pool` does not set itself, or undefined when it sets them all: what a
   * version's own pool inherits from the service (Istio replaces the service's pool with a
   * subset's wholesale, so they must be written into the subset's).
   */
  public _unsetIn(pool: ConnectionPool): ConnectionTimeouts | undefined {
    const left = Object.fromEntries(FIELDS.filter((f) => this[f] !== undefined && pool[f] === undefined).map((f) => [f, this[f]]));
    return Object.keys(left).length ? new ConnectionTimeouts(left) : undefined;
  }
}
