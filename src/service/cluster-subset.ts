import { IConstruct } from 'constructs';
import { ErrorSource, fail, quote } from '../core/errors';
import { validateDnsLabel } from '../core/names';

/** The prefix of a cluster subset's name: `cluster-<cluster>`. */
const PREFIX = 'cluster-';
/** A subset name is a DNS label (Istio's webhook), so the cluster name leaves room for the prefix. */
const MAX_CLUSTER_NAME = 63 - PREFIX.length;

/** The subset name a cluster gets, `cluster-<cluster>`, validated. */
function clusterSubsetName(where: ErrorSource, cluster: string): string {
  validateDnsLabel(where, 'cluster', cluster);
  if (cluster.length > MAX_CLUSTER_NAME) {
    fail(where, 'cluster', `${quote(cluster)} is ${cluster.length} characters long, but its subset name ${PREFIX}<cluster> must fit in a DNS label (63)`, `use a cluster name of at most ${MAX_CLUSTER_NAME} characters`);
  }
  return `${PREFIX}${cluster}`;
}

/**
 * The endpoints of a service in one cluster of a multi-cluster mesh, as a subset routes can name
 * (`RouteTo.clusterSplit({ east: 90, west: 10 })`). Rendered as the Istio DestinationRule subset
 * `cluster-<cluster>` selecting `topology.istio.io/cluster: <cluster>`, a label Istio adds to every
 * endpoint (and proxy) with the ID of the cluster it runs in; no pod carries it. Istio only.
 * Created with `MeshService.addClusterSubset()`.
 */
export class ClusterSubset {
  /** The endpoint label Istio sets to the cluster ID (`AugmentLabels` in pilot's service registry). */
  public static readonly CLUSTER_LABEL = 'topology.istio.io/cluster';

  /** The subset name, `cluster-<cluster>`. */
  public readonly name: string;

  /** @internal */
  public constructor(service: IConstruct, /** The cluster's name (its Istio cluster ID, `clusterName`). */ public readonly cluster: string) {
    this.name = clusterSubsetName(service, cluster);
  }

  /** The subset's labels: `topology.istio.io/cluster: <cluster>` (a copy). */
  public get labels(): Record<string, string> {
    return { [ClusterSubset.CLUSTER_LABEL]: this.cluster };
  }
}

/** The cluster subsets of one service, by cluster name; a subset name a version already has is refused. */
export class ClusterSubsets {
  private readonly byCluster = new Map<string, ClusterSubset>();

  /** Adds a cluster's subset; each cluster once, and never a version's name. */
  public add(service: IConstruct, cluster: string, versionNames: string[]): ClusterSubset {
    const subset = new ClusterSubset(service, cluster);
    if (this.byCluster.has(subset.cluster)) fail(service, 'cluster subset', `for ${quote(cluster)} is already defined`, 'add each cluster subset once');
    if (versionNames.includes(subset.name)) fail(service, 'cluster subset', `${quote(subset.name)} has the name of a version`, `rename version ${subset.name}`);
    this.byCluster.set(subset.cluster, subset);
    return subset;
  }

  /** Refuses a version named like a cluster subset (both are subsets of the service's DestinationRule). */
  public checkVersionName(service: IConstruct, version: string): void {
    if ([...this.byCluster.values()].some((s) => s.name === version)) fail(service, 'version', `${quote(version)} is the name of a cluster subset`, 'give the version another name');
  }

  /** A cluster's subset; an unknown cluster is an error naming the construct that asked. */
  public get(serviceName: string, cluster: string, requestedBy: IConstruct, prop: string): ClusterSubset {
    const subset = this.byCluster.get(cluster);
    if (!subset) {
      const known = [...this.byCluster.keys()];
      fail(requestedBy, prop, `names cluster ${quote(cluster)}, for which ${serviceName} has no cluster subset (known: ${known.length ? known.join(', ') : 'none'})`,
        `add it with ${serviceName}.addClusterSubset(${quote(cluster)}) before the route, or use one of the known clusters`);
    }
    return subset;
  }

  /** The cluster subsets in the order added (a copy). */
  public get all(): ClusterSubset[] {
    return [...this.byCluster.values()];
  }
}
