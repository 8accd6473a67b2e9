import { fail, quote } from '../core/errors';
import { isPortName, validateDnsLabel, validateServiceName } from '../core/names';
import { LocalityLoadBalancing } from '../resilience/locality-load-balancing';
import { OutlierDetection } from '../resilience/outlier-detection';

/** A port of a service called across clusters. */
export interface GlobalServicePort {
  /** The port's name; Istio detects the protocol from it (`http`, `grpc-*`, `tcp-*`, ...). */
  readonly name: string;
  /** The port number. */
  readonly port: number;
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
