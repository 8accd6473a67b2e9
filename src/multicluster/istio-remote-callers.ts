import { Chart } from 'cdk8s';
import { REMOTE_CALLERS_ANNOTATION } from '../core/cross-cluster';
import { AuthorizationPolicy } from '../security/istio/authorization-policy';
import { GlobalService, GlobalServiceCaller } from './global-service';
import { ServedPorts } from './served-ports';

/**
 * In the configuration cluster of the clusters that run the service (the cluster itself, or a
 * remote's primary, whose istiod applies the policy to the remote's pods too): an ALLOW
 * AuthorizationPolicy admitting the declared callers of the other clusters by principal on the
 * service's pod ports. The east-west gateway passes their
 * mTLS through by SNI without terminating it (AUTO_PASSTHROUGH), so the server's sidecar sees the
 * caller's own certificate, `spiffe://<trustDomain>/ns/<ns>/sa/<sa>`; the mesh's clusters share one
 * trust domain, and a principal names no cluster, so the ServiceAccount is admitted from every
 * cluster. Purely additive: under a deny-by-default namespace it is what lets them in.
 */
export function renderIstioRemoteCallers(chart: Chart, service: GlobalService, served: ServedPorts, callers: GlobalServiceCaller[], trustDomain: string): void {
  if (callers.length === 0) return;
  const principals = [...new Set(callers.map((c) => `${trustDomain}/ns/${c.namespace}/sa/${c.serviceAccount}`))].sort();
  new AuthorizationPolicy(chart, `remote-callers-${service.namespace}-${service.name}`, {
    name: `${service.name}-remote-callers`,
    namespace: service.namespace,
    annotations: { [REMOTE_CALLERS_ANNOTATION]: [...new Set(callers.map((c) => c.cluster))].sort().join(',') },
    selector: served.selector,
    rules: [{ from: [{ principals }], to: [{ ports: served.targetPorts }] }],
  });
}
