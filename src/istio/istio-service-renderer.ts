import type { MeshService } from '../service/mesh-service';
import type { IServiceRenderer } from '../service/service-renderer';
import { fail } from '../core/errors';
import { checkLocalityNeedsOutlierDetection } from '../resilience/istio-render';
import { RouteActionKind } from '../traffic/route-action';
import type { TrafficPolicy } from '../traffic/traffic-policy';
import type { ResolvedBackend, ResolvedRoute } from '../traffic/routing-table';
import { ApiObject, Lazy } from 'cdk8s';
import * as l1 from '../../imports/networking.istio.io';
import { destinationRuleSpec } from './destination-rule';
import { IstioDestination, IstioHttpRoute, virtualServiceSpec } from './virtual-service';
import { istioServiceHost } from './render';

/**
 * Renders a MeshService for Istio: one VirtualService (created when the first route is attached)
 * and one DestinationRule (created when the first version or traffic-policy setting is attached),
 * named after the service unless `names` says otherwise, as children `VirtualService` and `DestinationRule` of the service.
 *
 * They are L1 objects rendered with the same spec functions as the L2s: a service with thousands of
 * siblings then costs two constructs, not four (see `npm run bench`).
 */
export class IstioServiceRenderer implements IServiceRenderer {
  private virtualService?: ApiObject;
  private delegateVirtualService?: ApiObject;
  private destinationRule?: ApiObject;

  public constructor(private readonly service: MeshService) {}

  public routeAdded(_route: ResolvedRoute): void {
    this.ensureVirtualService();
  }

  /**
   * Route defaults apply to the implicit catch-all route too, so the VirtualService is needed;
   * not when the catch-all is delegated (the delegate's routes are the delegate owner's).
   */
  public routeDefaultsSet(): void {
    if (!this.service._catchAllDelegation) this.ensureVirtualService();
  }

  /** The VirtualService becomes the root, under its own name: created again if it exists. */
  public catchAllDelegated(): void {
    if (this.virtualService) {
      this.service.node.tryRemoveChild('VirtualService');
      this.virtualService = undefined;
    }
    if (this.service.routing.attached.length || this.service._catchAllDelegation?.rendersDelegate) this.ensureVirtualService();
  }

  private ensureVirtualService(): void {
    if (this.virtualService) return;
    const s = this.service;
    const delegation = s._catchAllDelegation;
    this.virtualService = new l1.VirtualService(s, 'VirtualService', {
      metadata: { name: delegation?.rootName ?? s.names.virtualService, namespace: s.namespace },
      spec: Lazy.any({ produce: () => virtualServiceSpec(s, { hosts: [s.serviceName], http: istioRoutes(s) }) }),
    });
    if (delegation?.rendersDelegate && !this.delegateVirtualService) {
      // no hosts: Istio reads it only through the root's delegating route
      this.delegateVirtualService = new l1.VirtualService(s, 'DelegateVirtualService', {
        metadata: { name: delegation.delegateName, namespace: s.namespace },
        spec: Lazy.any({ produce: () => virtualServiceSpec(s, { hosts: [], http: delegateRoutes(s) }) }),
      });
    }
  }

  public versionAdded(): void {
    this.ensureDestinationRule();
  }

  public policySet(): void {
    this.ensureDestinationRule();
  }

  public clusterSubsetAdded(): void {
    this.ensureDestinationRule();
  }

  private ensureDestinationRule(): void {
    if (this.destinationRule) return;
    const s = this.service;
    this.destinationRule = new l1.DestinationRule(s, 'DestinationRule', {
      metadata: { name: s.names.destinationRule, namespace: s.namespace },
      spec: Lazy.any({
        produce: () => destinationRuleSpec(s, {
          host: s.serviceName,
          trafficPolicy: checkedTrafficPolicy(s),
          subsets: [
            ...s._subsetVersions.map((v) => ({ ...s._subsetOf(v), trafficPolicy: nonEmpty(subsetTrafficPolicy(s, v.name)) })),
            ...s.clusterSubsets.map((c) => ({ name: c.name, labels: c.labels })),
          ],
        }),
      }),
    });
  }
}

/**
 * The service's traffic policy, after checking that locality failover has outlier detection at its
 * level or above, and that no connection timeout is set both by a pool and by the timeouts.
 */
function checkedTrafficPolicy(s: MeshService): TrafficPolicy {
  const service = s.trafficPolicy();
  const shared = service.connectionPool && service.connectionTimeouts?._sharedWith(service.connectionPool);
  if (shared) {
    const pool = s._policyOwner('connectionPool')!.node.path;
    const timeouts = s._policyOwner('connectionTimeouts')!.node.path;
    fail(s, shared, `of ${s.serviceName} is set twice, by ${timeouts} and by the connection pool of ${pool}`,
      `set it in one place: keep it in ${timeouts} and remove it from the ConnectionPool, or the other way round`);
  }
  checkLocalityNeedsOutlierDetection(s, 'localityLoadBalancing', service.localityLoadBalancing, service.outlierDetection);
  for (const v of s.versions) {
    const p = s.trafficPolicy(v.name);
    checkLocalityNeedsOutlierDetection(s, `version ${v.name} localityLoadBalancing`, p.localityLoadBalancing, p.outlierDetection ?? service.outlierDetection);
  }
  return service;
}

/**
 * A version's traffic policy. Istio replaces the service's `connectionPool` with a subset's
 * wholesale (MergeTrafficPolicy), so a version with its own pool gets the service's connection
 * timeouts written into it, except those its pool sets itself: a pool for limits does not drop them.
 */
function subsetTrafficPolicy(s: MeshService, version: string): TrafficPolicy {
  const p = s.trafficPolicy(version);
  const inherited = p.connectionPool && !p.connectionTimeouts ? s.trafficPolicy().connectionTimeouts?._unsetIn(p.connectionPool) : undefined;
  return inherited ? { ...p, connectionTimeouts: inherited } : p;
}

function nonEmpty<T extends object>(o: T): T | undefined {
  return Object.keys(o).length ? o : undefined;
}

/** The host a route of `from` names for a backend: the short name in the same namespace, else the FQDN. */
export function istioHost(from: MeshService, b: ResolvedBackend): string {
  return b.host ?? istioServiceHost(b.service!, from.namespace);
}

function istioDestination(from: MeshService, b: ResolvedBackend): IstioDestination {
  return { host: istioHost(from, b), subset: b.version ? b.service!._subsetOf(b.version).name : b.clusterSubset?.name, port: b.port };
}

/**
 * The service's routing table as Istio HTTP routes: the matched routes, then the catch-all, which
 * is a route delegating to another VirtualService when the service says so (an explicit default
 * route is then refused by whoever delegated it).
 */
function istioRoutes(s: MeshService): IstioHttpRoute[] {
  const delegation = s._catchAllDelegation;
  if (!delegation) return s.routing.ordered().map((r) => istioRoute(s, r));
  const delegate = { name: delegation.delegateName, namespace: s.namespace };
  const fallback = delegation.rendersDelegate ? s.routing.explicitDefault : undefined;
  // a rendered delegate's route is the default route's destinations: the rest of it stays here
  const behaviour = fallback ? { ...istioRoute(s, fallback), matches: undefined, destinations: undefined } : {};
  return [...s.routing.orderedMatched().map((r) => istioRoute(s, r)), { ...behaviour, name: delegation.routeName, delegate }];
}

/** A rendered delegate's routes: the default route, by its name, with its destinations only. */
function delegateRoutes(s: MeshService): IstioHttpRoute[] {
  const fallback = s.routing.explicitDefault;
  if (!fallback) return [];
  const { name, destinations } = istioRoute(s, fallback);
  return [{ name, destinations }];
}

/** Maps a resolved route of the service's routing table to an Istio HTTP route. */
export function istioRoute(from: MeshService, r: ResolvedRoute): IstioHttpRoute {
  const behaviour = from.routing.behaviourOf(r);
  return {
    name: r.name,
    matches: r.matches.length ? r.matches : undefined,
    destinations: r.action.kind === RouteActionKind.FORWARD ? r.backends.map((b) => ({ ...istioDestination(from, b), weight: b.weight })) : undefined,
    redirect: r.action.kind === RouteActionKind.REDIRECT ? r.action.redirectOptions : undefined,
    directResponse: r.action.kind === RouteActionKind.DIRECT_RESPONSE ? { status: r.action.status!, body: r.action.body } : undefined,
    rewrite: r.behaviour.rewrite,
    timeout: behaviour.timeout,
    mirror: r.mirror ? { ...istioDestination(from, r.mirror.backend), percent: r.mirror.percent } : undefined,
    retries: behaviour.retries,
    fault: behaviour.fault,
  };
}
