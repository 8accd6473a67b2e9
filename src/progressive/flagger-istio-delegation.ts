import { IConstruct } from 'constructs';
import type { MeshService } from '../service/mesh-service';
import type { Match } from '../traffic/match';
import type { RouteBehaviour } from '../traffic/route';
import { Destination, RouteTo } from '../traffic/route-action';
import type { ResolvedBackend, ResolvedRoute } from '../traffic/routing-table';

/** The route of the root VirtualService that hands the other requests to Flagger's VirtualService. */
export const FLAGGER_DELEGATE_ROUTE_NAME = 'flagger';
/** The route of the root VirtualService that sends the preview match to Flagger's canary Service. */
export const FLAGGER_PREVIEW_ROUTE_NAME = 'canary-preview';

/** @internal What the service's own routes beside Flagger's are set up from (Istio delegation, flagger-gateway-api.ts). */
export interface FlaggerDelegationIntent {
  readonly owner: IConstruct;
  readonly service: MeshService;
  readonly previewMatch?: Match;
  /** The port the canary is routed on (Flagger's `service.port`). */
  readonly port: number;
  /** The timeout and retries of the canary's routes. */
  readonly behaviour: RouteBehaviour;
  /** The target Deployment, named in the errors. */
  readonly deploymentName: string;
}

/**
 * Istio delegation for a service canaried by Flagger, so that the service's own routes survive
 * (fluxcd/flagger#1715) and testers reach the canary during a weighted rollout (flagger#1777):
 *
 * - Flagger's VirtualService `<service>` becomes a delegate (`service.delegation: true`): no hosts
 *   or gateways, one route weighing `<service>-primary` against `<service>-canary`
 *   (pkg/router/istio.go reconcileVirtualService).
 * - The service's own VirtualService is the root, under a name of its own (`<service>-root`, or
 *   `names.virtualService` when chosen): its routes in their usual order, the preview match to
 *   Flagger's Service `<service>-canary` (which selects the target Deployment's pods,
 *   pkg/router/kubernetes_default.go), then the catch-all route `flagger` delegating to Flagger's
 *   VirtualService. That route has no matches, so every match of Flagger's route is within it.
 *
 * Only with routes to keep: without any, nothing is delegated and the output is Flagger's alone.
 * Routes to a version of the service are refused (its subsets are dropped: Flagger splits the
 * pods), and so is a default route of ours (Flagger's route is the default).
 * @internal
 */
export function delegateToFlagger(intent: FlaggerDelegationIntent): void {
  const { owner, service: s } = intent;
  const rootName = s.names.virtualService !== s.serviceName ? s.names.virtualService! : `${s.serviceName}-root`;
  s._delegateCatchAll(owner, { rootName, routeName: FLAGGER_DELEGATE_ROUTE_NAME, delegateName: s.serviceName });
  if (intent.previewMatch) {
    const canaryHost = `${s.serviceName}-canary`; // Flagger's Service of the canary pods
    s._addRoute(owner, {
      ...intent.behaviour, name: FLAGGER_PREVIEW_ROUTE_NAME, matches: [intent.previewMatch],
      to: RouteTo.destination(Destination.host(canaryHost, { port: s.ports.length > 1 ? intent.port : undefined })),
    });
  }
  owner.node.addValidation({ validate: () => delegationErrors(intent) });
}

/** True when the Canary's VirtualService is a delegate: the service has routes of its own to keep. */
export function isDelegatedToFlagger(s: MeshService): boolean {
  return s._catchAllDelegation !== undefined && s.routing.attached.length > 0;
}

/** Routes that cannot survive beside Flagger's: routes to a version's subset. */
function delegationErrors(intent: FlaggerDelegationIntent): string[] {
  const { owner, service: s } = intent;
  const errors: string[] = [];
  // a default route is refused by flagger.ts for both meshes
  for (const r of s.routing.attached.filter((x) => x !== s.routing.explicitDefault)) {
    const version = [...r.backends, ...(r.mirror ? [r.mirror.backend] : [])].find((b): b is ResolvedBackend & { version: NonNullable<ResolvedBackend['version']> } => b.service === s && b.version !== undefined)?.version;
    if (!version) continue;
    errors.push(`${owner.node.path}: ${routeLabel(r)} of ${s.serviceName} (from ${r.owner.node.path}) ${r.backends.some((b) => b.version === version) ? 'goes' : 'mirrors'} to version ${version.name}, but under Flagger ${s.serviceName} runs as one Deployment ${intent.deploymentName} that Flagger copies to ${intent.deploymentName}-primary and splits by weight: no subset selects version ${version.name}'s pods. `
      + `Fix: route to the whole service (RouteTo.service(${s.serviceName}), which Flagger points at the primary) or to another service, reach the canary with previewMatch, or use CanaryEngine.argoRollouts(), which keeps version subsets`);
  }
  return errors;
}

function routeLabel(r: ResolvedRoute): string {
  return r.name ? `route ${r.name}` : `the route matching ${r.matches.map((m) => `"${m}"`).join(', ')}`;
}
