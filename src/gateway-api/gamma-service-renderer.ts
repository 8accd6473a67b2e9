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
 */
export class GammaServiceRenderer implements IServiceRenderer {
  /** The service's HTTPRoute, once a route is attached. */
  public httpRoute?: HttpRoute;
  private readonly grants = new Map<string, ReferenceGrant>();

  public constructor(protected readonly service: MeshService) {}

  public routeAdded(route: ResolvedRoute): void {
    this.checkRoute(route);
    this.grantCrossNamespaceBackends(route);
    this.ensureHttpRoute();
  }

  /** Route defaults (a timeout) apply to the implicit catch-all rule too, so the HTTPRoute is needed. */
  public routeDefaultsSet(): void {
    this.ensureHttpRoute();
  }

  protected ensureHttpRoute(): void {
    if (this.httpRoute) return;
    const s = this.service;
    this.httpRoute = new HttpRoute(s, 'HTTPRoute', { name: s.names.httpRoute, namespace: s.namespace, parents: [ParentRef.service(s.serviceName, { port: s.ports.length === 1 ? s.ports[0].port : undefined })] });
    this.httpRoute._addRuleSource(() => s.routing.ordered().map((r) => gammaRule(s, r)));
  }

  public versionAdded(): void {
    // Versions are separate Services in GAMMA; nothing to render on the route's side.
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
    if (route.action.kind === RouteActionKind.REDIRECT) checkRedirectStatus(route.owner, 'statusCode', route.action.redirect?.statusCode);
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
    redirect: r.action.kind === RouteActionKind.REDIRECT ? r.action.redirect : undefined,
    rewrite: r.behaviour.rewrite,
    timeout: from.routing.behaviourOf(r).timeout,
    mirror: r.mirror ? { ...gammaBackend(from, r.mirror.backend, true), percent: r.mirror.percent } : undefined,
  };
}
