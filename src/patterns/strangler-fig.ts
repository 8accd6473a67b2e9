import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { MeshService } from '../service/mesh-service';
import { Match } from '../traffic/match';
import { RouteTo } from '../traffic/route-action';

/** Options for a migrated path. */
export interface MigrateOptions {
  /**
   * Replaces the matched prefix before the request reaches the new service (e.g. `/`).
   * @default - the path is forwarded unchanged
   */
  readonly rewritePrefix?: string;
  /** @default - the new service's only port */
  readonly port?: number;
}

/** A path prefix a {@link StranglerFig} moved to a new service. */
export interface StranglerMigration {
  /** The migrated path prefix. */
  readonly prefix: string;
  /** The name of the service that now serves it. */
  readonly service: string;
}

/** Props of a {@link StranglerFig}. */
export interface StranglerFigProps {
  /** The monolith: everything not migrated still reaches it. */
  readonly monolith: MeshService;
}

/**
 * Strangler fig migration: path prefixes move one by one from a monolith to new services, while
 * every other request still reaches the monolith. The routes live on the monolith's host, so
 * callers keep calling the monolith's name.
 *
 * @example
 * const fig = new StranglerFig(chart, 'shop-migration', { monolith: shop });
 * fig.migrate('/orders', orders);
 */
export class StranglerFig extends Construct {
  private readonly migrated = new Map<string, MeshService>();

  public constructor(scope: Construct, id: string, private readonly props: StranglerFigProps) {
    super(scope, id);
  }

  /** Sends requests under `prefix` to `service`. */
  public migrate(prefix: string, service: MeshService, options: MigrateOptions = {}): void {
    const match = Match.path.prefix(prefix);
    if (service === this.props.monolith) fail(this, 'service', 'is the monolith itself', 'migrate the prefix to a new service');
    const taken = this.migrated.get(prefix);
    if (taken) fail(this, 'prefix', `${quote(prefix)} is already migrated to ${taken.serviceName}`, 'migrate each prefix once');
    const sameTarget = [...this.migrated.values()].filter((s) => s === service).length;
    this.migrated.set(prefix, service);
    this.props.monolith._addRoute(this, {
      name: `to-${service.serviceName}${sameTarget ? `-${sameTarget + 1}` : ''}`.slice(0, 63).replace(/-+$/, ''),
      matches: [match],
      to: RouteTo.service(service, { port: options.port }),
      rewrite: options.rewritePrefix !== undefined ? { path: options.rewritePrefix } : undefined,
    });
  }

  /** The migrated prefixes and their services, in the order migrated. */
  public get migrations(): StranglerMigration[] {
    return [...this.migrated].map(([prefix, s]) => ({ prefix, service: s.serviceName }));
  }
}
