import { Duration } from 'cdk8s';
import { singleUnitDuration } from '../core/duration';
import { GammaServiceRenderer } from '../gateway-api/gamma-service-renderer';
import { linkerdRetryAnnotations } from '../resilience/linkerd-annotations';
import { retryRouteAnnotations, retryRouteKey, retryRouteProblems, retryRouteSuffix } from './retry-routes';
import type { ResolvedRoute } from '../traffic/routing-table';
import { addMeshValidation } from '../core/validation-pass';

/**
 * Renders a MeshService for Linkerd: GAMMA HTTPRoutes (Linkerd implements the mesh profile) plus
 * Linkerd's annotations. Linkerd's data plane has no traffic mirroring and no fault injection.
 *
 * Route retries become `retry.linkerd.io/*` annotations on an HTTPRoute, which apply to all of its
 * rules and replace the Service's: so the rules go into one HTTPRoute per distinct retry policy
 * (src/linkerd/retry-routes.ts), and what that cannot render is a synth-time error.
 */
export class LinkerdServiceRenderer extends GammaServiceRenderer {
  private validated = false;

  public routeAdded(route: ResolvedRoute): void {
    super.routeAdded(route);
    if (!this.validated) {
      // Checked once every intent is attached: routes and a RequestPolicy may come in any order.
      addMeshValidation(this.service, () => retryRouteProblems(this.service));
      this.validated = true;
    }
  }

  /**
   * Linkerd takes service-wide retries and timeouts as Service annotations: no HTTPRoute is needed
   * for them (but the rules of existing ones may now retry as the Service does). The timeout also
   * lands in the rules of an HTTPRoute, so it must have one unit.
   */
  public routeDefaultsSet(): void {
    const owner = this.service.routing.routeDefaultsOwner;
    if (owner) this.checkTimeout(owner.node.path, 'timeout', this.service.routing.routeDefaults?.timeout);
    if (!this.service.routing.isEmpty) this.syncHttpRoutes();
  }

  protected routeKey(route: ResolvedRoute | undefined): string | undefined {
    return retryRouteKey(this.service, route);
  }

  protected routeAnnotations(key: string, routes: ResolvedRoute[]): Record<string, string> {
    return retryRouteAnnotations(key, routes);
  }

  protected routeSuffix(key: string): string {
    return retryRouteSuffix(key);
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
}
