import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { Mesh } from '../core/mesh';
import { MeshService } from '../service/mesh-service';
import { ConnectionPool } from './connection-pool';

/** Props of a {@link Bulkhead}. */
export interface BulkheadProps {
  /** The service whose versions get isolated pools. */
  readonly service: MeshService;
  /** A connection pool per version name; each version's callers get their own limits. */
  readonly pools: Record<string, ConnectionPool>;
}

/**
 * The bulkhead pattern: isolated connection pools per version of a service, so that one version
 * saturating its pool (a slow canary, a batch tier) cannot starve the others. Rendered as subset
 * `trafficPolicy.connectionPool` entries in the service's DestinationRule. Istio only: Linkerd and
 * the Gateway API have no connection-pool limits.
 *
 * Per caller-facing route pools are not expressible: Istio keys pools by destination host and
 * subset, so give the route its own version (subset) and a pool for it.
 *
 * @example
 * new Bulkhead(this, 'reviews-bulkhead', { service: reviews, pools: { v1: new ConnectionPool({ maxConnections: 80 }), v2: new ConnectionPool({ maxConnections: 20 }) } });
 */
export class Bulkhead extends Construct {
  public readonly service: MeshService;
  /** The versions that got a pool, in name order. */
  public readonly versions: string[];

  public constructor(scope: Construct, id: string, props: BulkheadProps) {
    super(scope, id);
    if (!MeshService.isMeshService(props.service)) fail(this, 'service', `must be a MeshService, got ${quote(props.service)}`, 'pass the MeshService to partition');
    this.service = props.service;
    if (this.service.mesh !== Mesh.ISTIO) {
      fail(this, 'pools', `cannot be rendered for ${this.service.mesh}: it has no per-version connection-pool limits`, 'render this chart for Istio, or cap load with LocalRateLimit');
    }
    const names = Object.keys(props.pools ?? {}).sort();
    if (names.length === 0) fail(this, 'pools', 'must give at least one version a pool', 'pass e.g. { v1: new ConnectionPool({ maxConnections: 80 }) }');
    for (const name of names) {
      const pool = props.pools[name];
      if (!(pool instanceof ConnectionPool)) fail(this, `pools.${name}`, `must be a ConnectionPool, got ${quote(pool)}`, 'use new ConnectionPool({...})');
      this.service._setPolicy(this, 'connectionPool', pool, name);
    }
    this.versions = names;
  }
}
