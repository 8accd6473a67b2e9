import { fail, quote } from '../core/errors';
import { validateDnsLabel, validateDnsSubdomain } from '../core/names';

/** What a cluster's control plane does in an Istio multi-cluster mesh. */
export enum ClusterRole {
  /** Runs its own istiod (multi-primary, or the primary of primary-remote). */
  PRIMARY = 'primary',
  /** Has no istiod of its own: its proxies are configured by a primary's istiod, reached through that primary's east-west gateway. */
  REMOTE = 'remote',
}

/** A cluster of a multi-cluster mesh. */
export interface MeshClusterProps {
  /** The cluster's name: Istio's `clusterName`, the value of `topology.istio.io/cluster` and the output folder. */
  readonly name: string;
  /** The network the cluster's pods are on; clusters on one network reach each other's pods directly. */
  readonly network: string;
  /** The mesh ID, identical in every cluster of the mesh. */
  readonly meshId: string;
  /**
   * The trust domain of the workload identities, identical in every cluster of the mesh.
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /**
   * The role of the cluster's control plane.
   * @default ClusterRole.PRIMARY
   */
  readonly role?: ClusterRole;
  /**
   * For a remote cluster: the name of the primary whose istiod configures it.
   * @default - none; required when role is ClusterRole.REMOTE
   */
  readonly primary?: string;
  /**
   * The region the cluster's nodes are in (`topology.kubernetes.io/region`), for locality failover.
   * @default - no region: failover between clusters is not ordered by locality
   */
  readonly region?: string;
  /**
   * The zone the cluster's nodes are in (`topology.kubernetes.io/zone`).
   * @default - no zone
   */
  readonly zone?: string;
  /**
   * The cluster's numeric ID, unique in the mesh (Cilium's `cluster.id`, 1 to 255; it tags the
   * cluster's security identities). Cilium ClusterMesh needs it; Istio and Linkerd ignore it.
   * @default - none; required when the mesh is Cilium
   */
  readonly clusterId?: number;
}

/** A cluster of a multi-cluster mesh, validated. */
export class MeshCluster {
  public readonly name: string;
  public readonly network: string;
  public readonly meshId: string;
  public readonly trustDomain: string;
  public readonly role: ClusterRole;
  public readonly primary?: string;
  public readonly region?: string;
  public readonly zone?: string;
  public readonly clusterId?: number;

  public constructor(props: MeshClusterProps) {
    const where = `MeshCluster ${quote(props.name)}`;
    this.name = validateDnsLabel(where, 'name', props.name);
    this.network = validateDnsLabel(where, 'network', props.network);
    this.meshId = validateDnsLabel(where, 'meshId', props.meshId);
    this.trustDomain = validateDnsSubdomain(where, 'trustDomain', props.trustDomain ?? 'cluster.local');
    this.role = props.role ?? ClusterRole.PRIMARY;
    if (!Object.values(ClusterRole).includes(this.role)) {
      fail(where, 'role', `is not a cluster role, got ${quote(this.role)}`, 'use ClusterRole.PRIMARY or ClusterRole.REMOTE');
    }
    if (this.role === ClusterRole.REMOTE && props.primary === undefined) {
      fail(where, 'primary', 'is required for a remote cluster', 'name the primary cluster whose istiod configures this one');
    }
    if (this.role === ClusterRole.PRIMARY && props.primary !== undefined) {
      fail(where, 'primary', `only applies to a remote cluster, got ${quote(props.primary)}`, 'remove it or set role: ClusterRole.REMOTE');
    }
    if (props.primary !== undefined) this.primary = validateDnsLabel(where, 'primary', props.primary);
    if (props.zone !== undefined && props.region === undefined) {
      fail(where, 'zone', `needs a region, got zone ${quote(props.zone)} alone`, 'set region too (Istio localities are region/zone)');
    }
    if (props.region !== undefined) this.region = validateDnsSubdomain(where, 'region', props.region);
    if (props.zone !== undefined) this.zone = validateDnsSubdomain(where, 'zone', props.zone);
    this.clusterId = props.clusterId; // checked by the mesh that needs it (Cilium)
  }
}
