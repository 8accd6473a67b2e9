import { Construct } from 'constructs';
import type { MeshService } from '../../service/mesh-service';
import type { AllowEntry } from '../allow-entry';
import { CiliumEndpoints, CiliumHttpRule, CiliumNetworkPolicy, CiliumRule, CILIUM_SERVICE_ACCOUNT_LABEL } from './cilium-network-policy';

/**
 * Renders the allow rules for one target as one `CiliumNetworkPolicy` (`names.ciliumNetworkPolicy`,
 * by default the service's name):
 * ingress from the callers' identities (ServiceAccount label + namespace) on the target ports, with
 * L7 HTTP rules for methods and paths.
 */
export function renderCiliumAllow(scope: Construct, target: MeshService, entries: () => AllowEntry[]): CiliumNetworkPolicy {
  const policy = new CiliumNetworkPolicy(scope, 'CiliumNetworkPolicy', {
    name: target._names.ciliumNetworkPolicy,
    namespace: target.namespace,
    endpointSelector: target.selector,
    description: `Allowed callers of ${target.serviceName} (cdk8s-mesh ServiceAuthorization)`,
  });
  policy._addIngressSource(() => entries().map(ciliumRule));
  return policy;
}

function ciliumRule(e: AllowEntry): CiliumRule {
  const endpoints: CiliumEndpoints[] = e.resolve().map((c) => ({
    labels: c.serviceAccount ? { [CILIUM_SERVICE_ACCOUNT_LABEL]: c.serviceAccount } : undefined,
    namespace: c.namespace,
  }));
  const methods = e.methods?.length ? e.methods : [undefined];
  const paths = e.paths?.length ? e.paths : [undefined];
  const http: CiliumHttpRule[] | undefined = e.methods?.length || e.paths?.length
    ? methods.flatMap((method) => paths.map((path) => ({ method, path })))
    : undefined;
  return { endpoints, ports: [...new Set(e.ports.map((p) => p.targetPort))].sort((a, b) => a - b), http };
}
