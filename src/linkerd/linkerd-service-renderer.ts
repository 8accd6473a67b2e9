import { Duration } from 'cdk8s';
import { singleUnitDuration } from '../core/duration';
import { GammaServiceRenderer } from '../gateway-api/gamma-service-renderer';
import { linkerdRetryAnnotations } from '../resilience/linkerd-annotations';
import type { ResolvedRoute } from '../traffic/routing-table';

/**
 * Renders a MeshService for Linkerd: GAMMA HTTPRoutes (Linkerd implements the mesh profile) plus
 * Linkerd's annotations. Linkerd's data plane has no traffic mirroring and no fault injection.
 *
 * Route retries become `retry.linkerd.io/*` annotations on the service's one HTTPRoute, which
 * apply to all of its rules (and override the Service's): so every rule must end up with the same
 * retries (its own, or the service's RequestPolicy; none for a route marked idempotent: false).
 * Differing retries are a synth-time error.
 */
export class LinkerdServiceRenderer extends GammaServiceRenderer {
  public routeAdded(route: ResolvedRoute): void {
    const created = !this.httpRoute;
    super.routeAdded(route);
    if (created && this.httpRoute) {
      // Checked once every intent is attached: routes and a RequestPolicy may come in any order.
      this.service.node.addValidation({ validate: () => this.uniformRetriesProblems() });
    }
    const retries = route.behaviour.retries;
    if (retries && retries.attempts > 0 && this.httpRoute) {
      for (const [k, v] of Object.entries(linkerdRetryAnnotations(route.owner, 'retries', retries))) {
        this.httpRoute.apiObject.metadata.addAnnotation(k, v);
      }
    }
  }

  /**
   * Linkerd takes service-wide retries and timeouts as Service annotations: no HTTPRoute is needed
   * for them. The timeout also lands in the rules of an HTTPRoute, so it must have one unit.
   */
  public routeDefaultsSet(): void {
    const owner = this.service.routing.routeDefaultsOwner;
    if (owner) this.checkTimeout(owner.node.path, 'timeout', this.service.routing.routeDefaults?.timeout);
  }

  protected checkRoute(route: ResolvedRoute): void {
    if (route.mirror) {
      this.unsupported('mirror', "Linkerd's proxy does not mirror traffic", 'remove the mirror for Linkerd, or render this chart for Istio', route.owner.node.path);
    }
    if (route.behaviour.rewrite) {
      // The policy controller refuses the whole HTTPRoute ("URLRewrite filter is not supported"),
      // which would drop every split and header route of the service, not just this one.
      this.unsupported('rewrite', `Linkerd's policy controller rejects an HTTPRoute with a URLRewrite filter, and with it every route of ${this.service.serviceName}`,
        'remove the rewrite for Linkerd (serve the path in the application, or rewrite at the ingress gateway), or render this chart for Istio', route.owner.node.path);
    }
    super.checkRoute(route);
  }

  protected checkResilience(route: ResolvedRoute): void {
    const where = route.owner.node.path;
    if (route.behaviour.fault) this.unsupported('fault', "Linkerd's proxy has no fault injection", 'run fault-injection tests on Istio (render this chart for Istio), or remove the fault', where);
    if (route.behaviour.retries) linkerdRetryAnnotations(route.owner, 'retries', route.behaviour.retries);
    this.checkTimeout(where, 'timeout', route.behaviour.timeout);
  }

  /**
   * Linkerd parses HTTPRoute timeouts with a single unit and ignores `1s500ms` without a word;
   * the Gateway API allows five digits per unit.
   */
  private checkTimeout(where: string, prop: string, timeout?: Duration): void {
    if (!timeout || singleUnitDuration(where, prop, timeout) !== undefined) return;
    const ms = timeout.toMilliseconds();
    this.unsupported(prop, `${ms}ms has no single-unit form of at most five digits, and Linkerd reads HTTPRoute timeouts in one unit`,
      `round it to whole seconds, e.g. Duration.seconds(${Math.round(ms / 1000)})`, where);
  }

  private uniformRetriesProblems(): string[] {
    const s = this.service;
    const rules = s.routing.ordered();
    const describe = (r: ResolvedRoute) => {
      const retries = s.routing.behaviourOf(r).retries;
      return retries && retries.attempts > 0 ? retries.toString() : 'no retries';
    };
    const distinct = new Map<string, string[]>();
    for (const r of rules) {
      const key = describe(r);
      distinct.set(key, [...(distinct.get(key) ?? []), r.name ?? (r.matches.length ? r.owner.node.path : 'default route')]);
    }
    if (distinct.size <= 1) return [];
    return [`${s.node.path}: retries cannot be rendered for linkerd: the routes of ${s.serviceName} have different retries (${[...distinct].map(([k, v]) => `${v.join(', ')}: ${k}`).join('; ')}), but Linkerd reads retries from annotations on the one HTTPRoute, which apply to all its rules. `
      + 'Fix: give every route (the default route included) the same retries, or set them once with RequestPolicy; a route marked idempotent: false cannot opt out of service-wide retries on Linkerd, so give the service retries that are safe for it or none'];
  }
}
