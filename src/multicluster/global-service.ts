import { fail, quote } from '../core/errors';
import { isPortName, validateDnsLabel, validateDnsSubdomain, validateServiceName } from '../core/names';
import { LocalityLoadBalancing } from '../resilience/locality-load-balancing';
import { OutlierDetection } from '../resilience/outlier-detection';

/** A port of a service called across clusters. */
export interface GlobalServicePort {
  /** The port's name; Istio detects the protocol from it (`http`, `grpc-*`, `tcp-*`, ...). */
  readonly name: string;
  /** The port number. */
  readonly port: number;
}

/** Which clusters' endpoints a calling cluster prefers for a global service. */
export enum ClusterAffinity {
  /** No preference: calls spread over the endpoints of every cluster that runs the service. */
  NONE = 'none',
  /** Prefer the calling cluster's own endpoints; other clusters' only when it has none healthy. */
  LOCAL = 'local',
  /** Prefer other clusters' endpoints; the calling cluster's own only when they have none healthy. */
  REMOTE = 'remote',
}

/** A workload in one cluster that calls a global service running in others. */
export interface GlobalServiceCaller {
  /** The cluster the caller runs in; it must be one of the service's `calledFrom` clusters. */
  readonly cluster: string;
  /** The ServiceAccount the caller's pods run as. */
  readonly serviceAccount: string;
  /**
   * The caller's namespace.
   * @default - the service's namespace
   */
  readonly namespace?: string;
}

/** The share of each caller's requests that one serving cluster gets. */
export interface ClusterWeight {
  /** The name of a cluster the service runs in. */
  readonly cluster: string;
  /** The percentage of requests (0 to 100) sent to that cluster; the weights of a service sum to 100. */
  readonly weight: number;
}

/** A service that runs in some clusters of a mesh and is called from others. */
export interface GlobalServiceProps {
  /** The Service's name, the same in every cluster. */
  readonly name: string;
  /** The Service's namespace, the same in every cluster. */
  readonly namespace: string;
  /** The Service's ports, as in the clusters it runs in. */
  readonly ports: GlobalServicePort[];
  /** The names of the clusters whose workloads serve it. */
  readonly runsIn: string[];
  /**
   * The names of the clusters whose workloads call it.
   * @default - only the clusters it runs in
   */
  readonly calledFrom?: string[];
  /**
   * Locality failover for every caller: prefer endpoints near the caller, fail over region to
   * region (`LocalityLoadBalancing.failover`) or by label priority (`LocalityLoadBalancing.priority`,
   * e.g. `topology.istio.io/network`, `topology.istio.io/cluster`). Rendered into the service's
   * DestinationRule (`trafficPolicy.loadBalancer.localityLbSetting`) in the configuration cluster
   * of every cluster that runs or calls it: its MeshService there, or one the mesh declares when the
   * cluster has none. The regions and label values must be those of the mesh's clusters.
   * @default - no failover: each cluster's DestinationRule keeps what its MeshService sets
   */
  readonly failover?: LocalityLoadBalancing;
  /**
   * The outlier detection that makes failover happen (Istio fails over only from endpoints it
   * ejects), for the DestinationRules whose MeshService sets none; one that sets its own must set
   * the same.
   * @default - none: every cluster's MeshService must set outlier detection (a CircuitBreakerPolicy)
   */
  readonly outlierDetection?: OutlierDetection;
  /**
   * Which clusters' endpoints a calling cluster prefers (Cilium: `service.cilium.io/affinity`).
   * @default ClusterAffinity.NONE
   */
  readonly affinity?: ClusterAffinity;
  /**
   * The workloads in other clusters allowed to call it, rendered in each cluster that runs it as a
   * purely additive allow on the service's pods and pod ports (under a deny-by-default namespace,
   * what lets them in). Cilium: a policy admitting exactly these callers by ServiceAccount and
   * cluster, and one letting them out of their own cluster. Istio: an ALLOW AuthorizationPolicy
   * admitting their principals (`<trustDomain>/ns/<ns>/sa/<sa>`), which name no cluster, so the
   * ServiceAccount is admitted from every cluster. Linkerd refuses them: through its gateway the server sees the gateway's identity, and pod to pod the caller's own, which a local allow rule admits.
   * @default - none: callers in other clusters are admitted only by the user's own policies
   */
  readonly remoteCallers?: GlobalServiceCaller[];
  /**
   * How every caller splits its requests between the clusters the service runs in, one entry per
   * cluster of `runsIn`, summing to 100. Linkerd renders it as an HTTPRoute in each calling cluster
   * splitting between the local Service and the mirrored `<name>-<cluster>` Services; Istio as the
   * default route of the host's MeshService in each calling cluster, over its cluster subsets
   * (`topology.istio.io/cluster`; one HTTP or gRPC port).
   * @default - the mesh's own balancing (Linkerd: see docs/multicluster.md)
   */
  readonly weights?: ClusterWeight[];
}

/** A service called across clusters, validated against itself (the mesh checks the cluster names). */
export class GlobalService {
  public readonly name: string;
  public readonly namespace: string;
  public readonly ports: GlobalServicePort[];
  public readonly runsIn: string[];
  public readonly calledFrom: string[];
  public readonly failover?: LocalityLoadBalancing;
  public readonly outlierDetection?: OutlierDetection;
  public readonly affinity: ClusterAffinity;
  public readonly remoteCallers: GlobalServiceCaller[];
  /** The split between the serving clusters, sorted by cluster name; empty when not given. */
  public readonly weights: ClusterWeight[];

  public constructor(props: GlobalServiceProps) {
    const where = `GlobalService ${quote(props.name)}`;
    this.name = validateServiceName(where, 'name', props.name);
    this.namespace = validateDnsLabel(where, 'namespace', props.namespace);
    if (props.ports.length === 0) fail(where, 'ports', 'is empty', 'list the ports the Service has where it runs');
    const seen = new Set<string>();
    props.ports.forEach((p, i) => {
      if (!isPortName(p.name)) fail(where, `ports[${i}].name`, `is not a port name, got ${quote(p.name)}`, "use a lower-case name such as 'http' or 'grpc-api'");
      if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) fail(where, `ports[${i}].port`, `must be an integer from 1 to 65535, got ${quote(p.port)}`, 'use the Service port number');
      if (seen.has(p.name)) fail(where, `ports[${i}].name`, `repeats ${quote(p.name)}`, 'give each port its own name');
      seen.add(p.name);
    });
    this.ports = props.ports.map((p) => ({ name: p.name, port: p.port }));
    if (props.runsIn.length === 0) fail(where, 'runsIn', 'is empty', 'name at least one cluster whose workloads serve it');
    this.runsIn = [...new Set(props.runsIn)].sort();
    this.calledFrom = [...new Set(props.calledFrom ?? props.runsIn)].sort();
    if (props.failover !== undefined && !(props.failover instanceof LocalityLoadBalancing)) {
      fail(where, 'failover', `must be a LocalityLoadBalancing, got ${quote(props.failover)}`, 'use LocalityLoadBalancing.failover(...) or LocalityLoadBalancing.priority(...)');
    }
    if (props.outlierDetection !== undefined && !(props.outlierDetection instanceof OutlierDetection)) {
      fail(where, 'outlierDetection', `must be an OutlierDetection, got ${quote(props.outlierDetection)}`, 'pass new OutlierDetection({ ... })');
    }
    if (props.outlierDetection && !props.failover) {
      fail(where, 'outlierDetection', 'is set without failover, and is only used for failover', 'set failover too, or give the MeshService its outlier detection (a CircuitBreakerPolicy)');
    }
    this.failover = props.failover;
    this.outlierDetection = props.outlierDetection;
    this.affinity = props.affinity ?? ClusterAffinity.NONE;
    if (!Object.values(ClusterAffinity).includes(this.affinity)) {
      fail(where, 'affinity', `is not a ClusterAffinity, got ${quote(this.affinity)}`, 'use ClusterAffinity.NONE, ClusterAffinity.LOCAL or ClusterAffinity.REMOTE');
    }
    const callers = new Set<string>();
    this.remoteCallers = (props.remoteCallers ?? []).map((c, i) => {
      const caller = {
        cluster: validateDnsLabel(where, `remoteCallers[${i}].cluster`, c.cluster),
        namespace: validateDnsLabel(where, `remoteCallers[${i}].namespace`, c.namespace ?? this.namespace),
        serviceAccount: validateDnsSubdomain(where, `remoteCallers[${i}].serviceAccount`, c.serviceAccount),
      };
      if (!this.calledFrom.includes(caller.cluster)) {
        fail(where, `remoteCallers[${i}].cluster`, `is ${quote(caller.cluster)}, which is not in calledFrom ${quote(this.calledFrom)}`, 'add the cluster to calledFrom, so it gets the Service it calls');
      }
      if (this.runsIn.length === 1 && this.runsIn[0] === caller.cluster) {
        fail(where, `remoteCallers[${i}].cluster`, `is ${quote(caller.cluster)}, the only cluster the service runs in, so the caller is not remote`, 'leave it to the allow rules of its own cluster');
      }
      const key = `${caller.cluster}/${caller.namespace}/${caller.serviceAccount}`;
      if (callers.has(key)) fail(where, `remoteCallers[${i}]`, `repeats ${quote(key)}`, 'list each caller once');
      callers.add(key);
      return caller;
    });
    this.weights = validateWeights(where, props.weights ?? [], this.runsIn);
  }

  /** The calling clusters the service does not run in: each needs a stub Service so the name resolves (istio/istio#17087). */
  public get stubbedIn(): string[] {
    return this.calledFrom.filter((c) => !this.runsIn.includes(c));
  }

  /** The clusters whose workloads run or call it. */
  public get clusters(): string[] {
    return [...new Set([...this.runsIn, ...this.calledFrom])].sort();
  }
}

function validateWeights(where: string, weights: ClusterWeight[], runsIn: string[]): ClusterWeight[] {
  if (weights.length === 0) return [];
  weights.forEach((w, i) => {
    if (!runsIn.includes(w.cluster)) fail(where, `weights[${i}].cluster`, `names ${quote(w.cluster)}, which the service does not run in`, `use one of runsIn ${quote(runsIn)}`);
    if (!Number.isInteger(w.weight) || w.weight < 0 || w.weight > 100) fail(where, `weights[${i}].weight`, `must be an integer from 0 to 100, got ${quote(w.weight)}`, 'give a percentage');
    if (weights.slice(0, i).some((v) => v.cluster === w.cluster)) fail(where, `weights[${i}].cluster`, `repeats ${quote(w.cluster)}`, 'give each cluster one weight');
  });
  const missing = runsIn.filter((c) => !weights.some((w) => w.cluster === c));
  if (missing.length > 0) fail(where, 'weights', `has no weight for ${quote(missing)}`, 'give every cluster of runsIn a weight (0 to send it nothing)');
  const sum = weights.reduce((a, w) => a + w.weight, 0);
  if (sum !== 100) fail(where, 'weights', `must sum to 100, got ${sum} (${weights.map((w) => `${w.cluster}=${w.weight}`).join(', ')})`, 'make the percentages add up to 100');
  return weights.map((w) => ({ cluster: w.cluster, weight: w.weight })).sort((a, b) => (a.cluster < b.cluster ? -1 : 1));
}
