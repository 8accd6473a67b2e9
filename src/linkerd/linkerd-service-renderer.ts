import { GammaServiceRenderer } from '../gateway-api/gamma-service-renderer';
import type { ResolvedRoute } from '../traffic/routing-table';

/**
 * Renders a MeshService for Linkerd: GAMMA HTTPRoutes (Linkerd implements the mesh profile) plus
 * Linkerd's annotations. Linkerd's data plane has no traffic mirroring.
 */
export class LinkerdServiceRenderer extends GammaServiceRenderer {
  protected checkRoute(route: ResolvedRoute): void {
    if (route.mirror) {
      this.unsupported('mirror', "Linkerd's proxy does not mirror traffic", 'remove the mirror for Linkerd, or render this chart for Istio', route.owner.node.path);
    }
    super.checkRoute(route);
  }
}
