import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { Mesh } from '../core/mesh';
import type { MeshService } from '../service/mesh-service';

/**
 * Resolves the `port` prop of a construct that attaches routes to a service: validated against the
 * service's ports, and required when it has several (the mesh needs one for the destination).
 */
export function routePort(owner: IConstruct, service: MeshService, port: number | undefined): number | undefined {
  if (port !== undefined) return service.port(port, owner, 'port').port;
  if (service.ports.length <= 1) return undefined;
  return failPortRequired(owner, service, `set port to the one the routes serve, e.g. port: ${service.ports[0].port}`);
}

/** Fails for a route to a service with several ports that names none: which ports, and why the mesh needs one. */
export function failPortRequired(owner: IConstruct, service: MeshService, fix: string): never {
  return fail(owner, 'port', `is required: ${service.serviceName} has ports ${service.ports.map((p) => `${p.name}(${p.port})`).join(', ')} and ${portReason(service.mesh)}`, fix);
}

/** Why a route to a service with several ports must name one, on each mesh. */
export function portReason(mesh: Mesh): string {
  return mesh === Mesh.ISTIO
    ? 'an Istio route to it needs a destination port (IST0112)'
    : `an HTTPRoute backendRef to a Service needs a port (${mesh === Mesh.GATEWAY_API ? 'GAMMA' : mesh} routes with the Gateway API)`;
}
