import { Mesh } from '../core/mesh';
import { GammaServiceRenderer } from '../gateway-api/gamma-service-renderer';
import { IstioServiceRenderer } from '../istio/istio-service-renderer';
import { LinkerdServiceRenderer } from '../linkerd/linkerd-service-renderer';
import type { MeshService } from './mesh-service';
import type { IServiceRenderer } from './service-renderer';

/** The renderer of a service for its mesh. */
export function createServiceRenderer(service: MeshService): IServiceRenderer {
  switch (service.mesh) {
    case Mesh.ISTIO: return new IstioServiceRenderer(service);
    case Mesh.LINKERD: return new LinkerdServiceRenderer(service);
    case Mesh.GATEWAY_API:
    case Mesh.CILIUM:
      return new GammaServiceRenderer(service);
  }
}
