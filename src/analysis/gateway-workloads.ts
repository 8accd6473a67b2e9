import { IndexedGateway, IndexedServicePort } from './indexed';
import { DEFAULT_INGRESS_GATEWAY_PORTS, ISTIO_ROOT_NAMESPACE, selectsDefaultIngressGateway } from './istio-defaults';
import type { ManifestIndex } from './manifest-index';
import { labelsMatch } from './selectors';

/** The pods an Istio Gateway's `selector` picks: workloads of the set in any namespace, and Istio's default ingress gateway. */
export interface GatewayPods {
  /** `Kind namespace/name` of each selected workload, in set order; Istio's default ingress gateway last. */
  readonly names: readonly string[];
  /** The namespace of the first selected workload: where Istio looks up the gateway's `credentialName` Secrets. */
  readonly namespace?: string;
  /** The ports of the Services that select those pods, as the proxy listens on them (target ports), and the Service ports. */
  readonly servicePorts: ReadonlySet<number>;
  /** True if a Service of the set (or the default ingress gateway's) selects at least one of the pods. */
  readonly hasService: boolean;
}

/** The labels an Istio Gateway selects its pods by. */
export function gatewaySelector(gw: IndexedGateway): Record<string, string> {
  const s = gw.manifest.spec?.selector;
  return s && typeof s === 'object' ? s : {};
}

function addPorts(out: Set<number>, ports: readonly IndexedServicePort[]): void {
  for (const p of ports) {
    if (p.protocol.toUpperCase() !== 'TCP') continue;
    out.add(p.targetPortNumber ?? p.port);
    out.add(p.port);
  }
}

/** gatewayPods per index and gateway: three analyzers ask for each gateway. */
const computed = new WeakMap<ManifestIndex, Map<IndexedGateway, GatewayPods>>();

/**
 * The pods a Gateway selects and the Service ports that reach them, as Istio's gateway analyzers
 * find them: a selector picks pods in every namespace; a Service selects pods of its own namespace.
 * Like `istioctl analyze` without a cluster, Istio's default ingress gateway (`istio: ingressgateway`
 * in `istio-system`, Service ports 80, 443, 31400, 15443) is taken to exist. Computed once per
 * index and gateway.
 */
export function gatewayPods(index: ManifestIndex, gw: IndexedGateway): GatewayPods {
  let byGateway = computed.get(index);
  if (!byGateway) {
    byGateway = new Map();
    computed.set(index, byGateway);
  }
  let pods = byGateway.get(gw);
  if (!pods) {
    pods = findGatewayPods(index, gw);
    byGateway.set(gw, pods);
  }
  return pods;
}

function findGatewayPods(index: ManifestIndex, gw: IndexedGateway): GatewayPods {
  const selector = gatewaySelector(gw);
  const workloads = index.workloadsMatching(undefined, selector);
  const ports = new Set<number>();
  let hasService = false;
  for (const w of workloads) {
    for (const s of index.services()) {
      if (s.namespace !== w.namespace || !s.selector || !labelsMatch(s.selector, w.podLabels)) continue;
      hasService = true;
      addPorts(ports, s.ports);
    }
  }
  const names = workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`);
  if (selectsDefaultIngressGateway(selector)) {
    names.push(`Istio's default ingress gateway (${ISTIO_ROOT_NAMESPACE})`);
    addPorts(ports, DEFAULT_INGRESS_GATEWAY_PORTS);
    hasService = true;
  }
  const namespace = workloads[0]?.namespace ?? (selectsDefaultIngressGateway(selector) ? ISTIO_ROOT_NAMESPACE : undefined);
  return { names, namespace, servicePorts: ports, hasService };
}
