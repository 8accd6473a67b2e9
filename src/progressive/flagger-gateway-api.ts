import { IConstruct } from 'constructs';
import { mayTie } from '../linkerd/route-ties';
import { MeshService } from '../service/mesh-service';
import { RouteTo } from '../traffic/route-action';
import { FLAGGER_DELEGATE_ROUTE_NAME, FLAGGER_PREVIEW_ROUTE_NAME, FlaggerDelegationIntent } from './flagger-istio-delegation';

/**
 * The service's own routes beside the HTTPRoute `<service>` that Flagger's gatewayapi router
 * generates and overwrites (pkg/router/gateway_api.go Reconcile: one rule `PathPrefix /` over
 * `<service>-primary` and `<service>-canary`, `Update` with the whole spec): the service's
 * HTTPRoutes take another name (`<service>-routes`) and hold only its matched rules, on the same
 * Service parent. GAMMA merges the rules of every HTTPRoute of one parent by match precedence
 * (HTTPRoute `rules[].matches`: path, method, headers, query parameters; ties across routes go to
 * the oldest route), and so does Linkerd 2.18–2.20: its policy controller sends every HTTPRoute
 * accepted for the Service to the proxy, sorted by creation time then name
 * (policy-controller/grpc/src/outbound.rs `to_proto`, `timestamp_then_name`), and the proxy takes
 * the best match across all their rules (linkerd2-proxy linkerd/http/route/src/lib.rs `find`).
 * So a rule of ours wins over Flagger's `PathPrefix /` exactly when it ranks higher for every
 * request it selects; one that can tie is refused.
 *
 * The preview match becomes the rule `canary-preview` to Flagger's `<service>-canary` Service,
 * which selects the target Deployment's pods (pkg/router/kubernetes_default.go Initialize), so
 * testers reach the canary at every step while Flagger walks the weights of its own rule.
 * @internal
 */
export function renderFlaggerGatewayApiRoutes(intent: FlaggerDelegationIntent): void {
  const { owner, service: s } = intent;
  const rootName = s.names.httpRoute !== s.serviceName ? s.names.httpRoute! : `${s.serviceName}-routes`;
  s._delegateCatchAll(owner, { rootName, routeName: FLAGGER_DELEGATE_ROUTE_NAME, delegateName: s.serviceName });
  if (intent.previewMatch) {
    const canaryService = new MeshService(owner, 'FlaggerCanaryService', {
      serviceName: `${s.serviceName}-canary`, namespace: s.namespace, ports: s.ports, selector: s.selector, serviceAccountName: s.serviceAccountName,
    });
    s._addRoute(owner, {
      name: FLAGGER_PREVIEW_ROUTE_NAME, matches: [intent.previewMatch], timeout: intent.behaviour.timeout,
      to: RouteTo.service(canaryService, { port: intent.port }),
    });
  }
  owner.node.addValidation({ validate: () => ownRoutesErrors(owner, s) });
}

/** Routes of the service that cannot live beside Flagger's HTTPRoute: those that may tie with its rule, and those to a version. */
function ownRoutesErrors(owner: IConstruct, s: MeshService): string[] {
  const where = `${owner.node.path}: ${s.serviceName}`;
  const errors: string[] = [];
  const table = s.routing;
  // a default route and route defaults are refused by flagger.ts for both meshes
  for (const r of table.attached.filter((x) => x !== table.explicitDefault)) {
    const what = r.name ? `route ${r.name} (${r.owner.node.path})` : `the route of ${r.owner.node.path}`;
    const tie = r.matches.find((m) => mayTie(m, undefined));
    if (tie) {
      errors.push(`${where}: ${what} matches "${tie}", which can rank equal to the rule PathPrefix / of Flagger's HTTPRoute ${s.serviceName}: the mesh then picks the older HTTPRoute, not ours `
        + '(Gateway API HTTPRoute match precedence; linkerd2-proxy ranks by path length, then header, query and method conditions). '
        + 'Fix: make the match more specific than every request (a path other than /, or a header, query or method condition)');
    }
    const version = [...r.backends, ...(r.mirror ? [r.mirror.backend] : [])].find((b) => b.service === s && b.version);
    if (version) {
      errors.push(`${where}: ${what} sends requests to version ${version.version!.name}, but under Flagger ${s.serviceName} runs as one target Deployment and its -primary copy: `
        + `the pods of any version with ${s.serviceName}'s selector are in Flagger's ${s.serviceName}-canary Service (pkg/router/kubernetes_default.go selects by one label). `
        + `Fix: reach the canary with previewMatch, or route to another service (RouteTo.service(...))`);
    }
  }
  return errors;
}
