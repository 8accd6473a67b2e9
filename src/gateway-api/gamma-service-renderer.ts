import { fail } from '../core/errors';
import { Mesh } from '../core/mesh';
import type { MeshService } from '../service/mesh-service';
import type { IServiceRenderer } from '../service/service-renderer';
import { RouteActionKind } from '../traffic/route-action';
import type { ResolvedBackend, ResolvedRoute } from '../traffic/routing-table';
import type { TrafficPolicySetting } from '../traffic/traffic-policy';
import { requireFeature } from '../target/feature-support';
import { REQUEST_MIRROR_PERCENT } from '../target/features';
import { HttpRoute, HttpRouteBackend, HttpRouteRule } from './http-route';
import { checkRedirectStatus } from './redirect-status';
import { ParentRef } from './parent-ref';
import { GrantFrom, GrantTo, ReferenceGrant } from './reference-grant';
import { gatewayApiMatch } from './render';

/**
 * Renders a MeshService for the Gateway API mesh profile (GAMMA): one HTTPRoute (`names.httpRoute`,
 * by default the service's name), whose parent is the Service and whose backends are the per-version Services
 * (`reviews-v1`, ...). Rejects at once what GAMMA cannot express.
 *
 * A subclass can spread the rules over several HTTPRoutes (Linkerd: one per retry policy) by
 * giving rules different {@link routeKey}s: the route holding the catch-all rule keeps the
 * HTTPRoute's name, each other one is named `<name>-<suffix>`, all with the same Service parent.
 *
 * When the catch-all is delegated to a controller's HTTPRoute (Flagger's `<service>`,
 * `MeshService._delegateCatchAll`), the service's routes hold only its matched rules, the main one
 * named `rootName`: GAMMA merges the rules of every HTTPRoute with the same Service parent by match
 * precedence, so no delegating rule is needed.
 */
export class GammaServiceRenderer implements IServiceRenderer {
  private readonly routes = new Map<string, { readonly key: string; readonly name: string; readonly annotations: Record<string, string>; readonly route: HttpRoute }>();
  private readonly grants = new Map<string, ReferenceGrant>();

  public constructor(protected readonly service: MeshService) {}

  /** The service's main HTTPRoute (the one named after it), once a route is attached. */
  public get httpRoute(): HttpRoute | undefined {
    return this.routes.get(MAIN_ROUTE_ID)?.route;
  }

  /** Every HTTPRoute of the service, the main one first. */
  public get httpRoutes(): HttpRoute[] {
    return [...this.routes].sort(([a], [b]) => Number(b === MAIN_ROUTE_ID) - Number(a === MAIN_ROUTE_ID) || a.localeCompare(b)).map(([, r]) => r.route);
  }

  public routeAdded(route: ResolvedRoute): void {
    this.checkRoute(route);
    this.grantCrossNamespaceBackends(route);
    this.syncHttpRoutes();
  }

  /** Route defaults (a timeout) apply to the implicit catch-all rule too, so the HTTPRoute is needed. */
  public routeDefaultsSet(): void {
    this.syncHttpRoutes();
  }

  /** The catch-all rule moved to a controller's HTTPRoute: the main route changes its name, or goes. */
  public catchAllDelegated(): void {
    if (!this.service.routing.isEmpty) this.syncHttpRoutes();
  }

  /**
   * Which HTTPRoute a rule goes into: rules with equal keys share one; undefined for a rule that
   * may go into any (it joins the catch-all rule's). `route` undefined stands for the implicit
   * catch-all rule. Pure, and final once every intent is attached.
   */
  protected routeKey(_route: ResolvedRoute | undefined): string | undefined {
    return '';
  }

  /** The annotations of the HTTPRoute of a key, holding `routes`. */
  protected routeAnnotations(_key: string, _routes: ResolvedRoute[]): Record<string, string> {
    return {};
  }

  /** The name suffix of the HTTPRoute of a key other than the catch-all rule's. */
  protected routeSuffix(key: string): string {
    return key;
  }

  /**
   * Makes the HTTPRoutes match the keys of the rules attached so far: called after every change
   * of the routing table, since a later intent (a default route, a RequestPolicy) can move rules.
   */
  protected syncHttpRoutes(): void {
    const s = this.service;
    const table = s.routing;
    const delegation = s._catchAllDelegation;
    const mainKey = this.routeKey(table.explicitDefault) ?? '';
    const groupOf = (r: ResolvedRoute) => this.routeKey(r) ?? mainKey;
    // the main route holds the catch-all rule, unless a controller renders it
    const wanted = new Map<string, { key: string; routes: ResolvedRoute[] }>(delegation ? [] : [[MAIN_ROUTE_ID, { key: mainKey, routes: [] }]]);
    for (const r of table.attached) {
      const key = groupOf(r);
      const id = key === mainKey ? MAIN_ROUTE_ID : `${MAIN_ROUTE_ID}-${this.routeSuffix(key)}`;
      if (!wanted.has(id)) wanted.set(id, { key, routes: [] });
      wanted.get(id)!.routes.push(r);
    }
    const mainName = delegation?.rootName ?? s._names.httpRoute;
    const nameOf = (id: string, key: string) => (id === MAIN_ROUTE_ID ? mainName : `${s.names.httpRoute}-${this.routeSuffix(key)}`);
    const annotationsOf = new Map([...wanted].map(([id, w]) => [id, this.routeAnnotations(w.key, w.routes)]));
    for (const [id, { key, name, annotations }] of this.routes) {
      const w = wanted.get(id);
      if (w?.key === key && nameOf(id, key) === name && JSON.stringify(annotationsOf.get(id)) === JSON.stringify(annotations)) continue;
      s.node.tryRemoveChild(id);
      this.routes.delete(id);
    }
    for (const [id, { key }] of wanted) {
      if (this.routes.has(id)) continue;
      const annotations = annotationsOf.get(id)!;
      const name = nameOf(id, key);
      const route = new HttpRoute(s, id, {
        name,
        namespace: s.namespace,
        annotations: Object.keys(annotations).length ? annotations : undefined,
        parents: [ParentRef.service(s.serviceName, { port: s.ports.length === 1 ? s.ports[0].port : undefined })],
      });
      route._addRuleSource(() => this.renderedRoutes().filter((r) => groupOf(r) === key).map((r) => gammaRule(s, r)));
      this.routes.set(id, { key, name, annotations, route });
    }
  }

  /** The routing table's routes in evaluation order, without the catch-all when a controller's route holds it. */
  protected renderedRoutes(): ResolvedRoute[] {
    return this.service._catchAllDelegation ? this.service.routing.orderedMatched() : this.service.routing.ordered();
  }

  public versionAdded(): void {
    // Versions are separate Services in GAMMA; nothing to render on the route's side.
  }

  public clusterSubsetAdded(): void {
    this.unsupported('cluster subset', 'a GAMMA route selects Services, not the endpoints of one cluster (Istio selects them by topology.istio.io/cluster)',
      `render this chart for Istio, or route to a Service that stands for the other cluster (Linkerd's mirrored ${this.service.serviceName}-<cluster>)`);
  }

  public policySet(setting: TrafficPolicySetting): void {
    this.unsupported(setting, `the Gateway API has no standard ${setting} setting`, `remove it for ${this.service.mesh}, or render this chart for Istio`);
  }

  /** Rejects a route GAMMA cannot express. */
  protected checkRoute(route: ResolvedRoute): void {
    const where = route.owner.node.path;
    if (route.action.kind === RouteActionKind.DIRECT_RESPONSE) {
      this.unsupported('to', 'the Gateway API has no direct response', 'route to a Service that answers, or render this chart for Istio', where);
    }
    for (const b of [...route.backends, ...(route.mirror ? [route.mirror.backend] : [])]) {
      if (b.host) this.unsupported('to', `a GAMMA route can only forward to Services, not to the host ${b.host}`, 'route to a Service (an ExternalName Service can stand for an external host)', where);
    }
    route.matches.forEach((m) => gatewayApiMatch(where, m));
    if (route.mirror && !Number.isInteger(route.mirror.percent)) {
      this.unsupported('mirror', `the Gateway API's requestMirror.percent is a whole number, got ${route.mirror.percent}`, `mirror ${Math.max(1, Math.round(route.mirror.percent))} percent, or render this chart for Istio (which takes fractions)`, where);
    }
    if (route.mirror && route.mirror.percent !== 100) {
      requireFeature(route.owner, 'mirror.percent', REQUEST_MIRROR_PERCENT, `mirror 100% of the requests (got ${route.mirror.percent}%)`);
    }
    if (route.action.kind === RouteActionKind.REDIRECT) checkRedirectStatus(route.owner, 'statusCode', route.action.redirectOptions?.statusCode);
    this.checkResilience(route);
    if (this.service.routing.ruleCount > 16) {
      fail(where, 'routes', `make ${this.service.serviceName} need more than 16 HTTPRoute rules`, 'combine matches into fewer routes');
    }
  }

  /** Rejects the resilience settings of a route that the Gateway API's standard channel lacks. */
  protected checkResilience(route: ResolvedRoute): void {
    const where = route.owner.node.path;
    if (route.behaviour.fault) this.unsupported('fault', 'the Gateway API has no fault injection', 'inject faults with Istio (render this chart for Istio), or remove the fault', where);
    if (route.behaviour.retries) this.unsupported('retries', 'HTTPRoute retries are not in the Gateway API\'s standard channel', 'remove retries, or render this chart for Istio or Linkerd', where);
  }

  /** The ReferenceGrants (one per other namespace) that let this service's HTTPRoute forward to Services there. */
  public get referenceGrants(): ReferenceGrant[] {
    return [...this.grants.values()];
  }

  /**
   * A backend in another namespace needs a ReferenceGrant there trusting this namespace's
   * HTTPRoutes; one grant per namespace, naming each Service granted.
   */
  private grantCrossNamespaceBackends(route: ResolvedRoute): void {
    const s = this.service;
    for (const b of [...route.backends, ...(route.mirror ? [route.mirror.backend] : [])]) {
      const target = b.service!;
      if (target.namespace === s.namespace) continue;
      let grant = this.grants.get(target.namespace);
      if (!grant) {
        grant = new ReferenceGrant(s, `ReferenceGrant-${target.namespace}`, {
          name: s.names.referenceGrant, namespace: target.namespace, from: [GrantFrom.httpRoutes(s.namespace)],
        });
        this.grants.set(target.namespace, grant);
      }
      grant.addTo(GrantTo.services(b.version ? b.version.serviceName : target.serviceName));
    }
  }

  protected unsupported(prop: string, what: string, fix: string, where: string = this.service.node.path): never {
    return fail(where, prop, `cannot be rendered for ${this.service.mesh === Mesh.GATEWAY_API ? 'the Gateway API (GAMMA)' : this.service.mesh}: ${what}`, fix);
  }
}

/** The construct id of the main HTTPRoute (the one named after the service). */
const MAIN_ROUTE_ID = 'HTTPRoute';

function gammaBackend(from: MeshService, b: ResolvedBackend, single = false): HttpRouteBackend {
  const target = b.service!;
  const port = b.port ?? target.ports[0].port;
  return {
    name: b.version ? b.version.serviceName : target.serviceName,
    namespace: target.namespace !== from.namespace ? target.namespace : undefined,
    port,
    weight: single ? undefined : b.weight,
  };
}

/** Maps a resolved route of the service's routing table to an HTTPRoute rule. */
export function gammaRule(from: MeshService, r: ResolvedRoute): HttpRouteRule {
  const forward = r.action.kind === RouteActionKind.FORWARD;
  return {
    name: r.name,
    matches: r.matches.length ? r.matches : undefined,
    backends: forward ? r.backends.map((b) => gammaBackend(from, b, r.backends.length === 1)) : undefined,
    redirect: r.action.kind === RouteActionKind.REDIRECT ? r.action.redirectOptions : undefined,
    rewrite: r.behaviour.rewrite,
    timeout: from.routing.behaviourOf(r).timeout,
    mirror: r.mirror ? { ...gammaBackend(from, r.mirror.backend, true), percent: r.mirror.percent } : undefined,
  };
}
