import { App } from 'cdk8s';
import { fail, quote } from '../core/errors';
import { validateDnsLabel } from '../core/names';
import { MultiClusterMesh } from '../multicluster/multi-cluster-mesh';
import { ArgoCdDestination } from './argo-cd-destination';
import { ArgoCdSyncPolicy } from './argo-cd-sync-policy';

/** Props of an {@link Environment}. */
export interface EnvironmentProps {
  /** The environment's name: its folder (`<outdir>/<name>/`) and the suffix of its Argo CD objects' names; a DNS label. */
  readonly name: string;
  /**
   * Where Argo CD applies the environment's objects (one cluster).
   * @default ArgoCdDestination.inCluster()
   */
  readonly destination?: ArgoCdDestination;
  /**
   * Where Argo CD applies each cluster's objects, by MeshCluster name, when the environment is a
   * MultiClusterMesh.
   * @default - ArgoCdDestination.toCluster(<cluster name>) for every cluster
   */
  readonly clusterDestinations?: { [cluster: string]: ArgoCdDestination };
  /**
   * How Argo CD syncs this environment's Applications (e.g. `{ automated: false }` for prod).
   * @default - the policy of GitOpsEnvironments
   */
  readonly syncPolicy?: ArgoCdSyncPolicy;
}

/**
 * One environment of an app (dev, staging, prod, ...): a name, where Argo CD applies it, and the
 * app's own typed values for it. Subclass it to add the values your builder reads (replicas, canary
 * stage, hosts): they stay typed, in every language, instead of being templated into strings.
 *
 * Subclass it with a props interface extending EnvironmentProps; docs/gitops.md shows one.
 *
 * @example
 * const dev = new Environment({ name: 'dev', destination: ArgoCdDestination.toCluster('nonprod') });
 */
export class Environment {
  public readonly name: string;
  public readonly destination: ArgoCdDestination;
  public readonly syncPolicy?: ArgoCdSyncPolicy;
  private readonly clusterDestinations: { [cluster: string]: ArgoCdDestination };

  public constructor(props: EnvironmentProps) {
    this.name = validateDnsLabel(`Environment ${quote(props.name)}`, 'name', props.name);
    this.destination = props.destination ?? ArgoCdDestination.inCluster();
    this.clusterDestinations = { ...(props.clusterDestinations ?? {}) };
    this.syncPolicy = props.syncPolicy ? { ...props.syncPolicy } : undefined;
  }

  /** Where Argo CD applies the objects of one cluster of the environment's MultiClusterMesh. */
  public destinationOf(cluster: string): ArgoCdDestination {
    return this.clusterDestinations[cluster] ?? ArgoCdDestination.toCluster(cluster);
  }

  /** The clusters `clusterDestinations` names (to check them against the mesh). */
  public get destinationClusters(): string[] {
    return Object.keys(this.clusterDestinations).sort();
  }
}

/**
 * Builds one environment of a single-cluster app. Implement it once; GitOpsEnvironments calls it for
 * every environment, each with its own App.
 */
export interface IEnvironmentBuilder {
  /** Adds the environment's charts to `app`, which writes `<outdir>/<environment>/`. */
  buildEnvironment(app: App, environment: Environment): void;
}

/**
 * Builds one environment of a multi-cluster app: its MultiClusterMesh, whose clusters write
 * `<outdir>/<environment>/<cluster>/`.
 */
export interface IMultiClusterEnvironmentBuilder {
  /** Returns the environment's mesh, created with `outdir` as its `outdir`. */
  buildMesh(environment: Environment, outdir: string): MultiClusterMesh;
}

/** Throws unless every cluster an environment gives a destination for is a cluster of its mesh. */
export function checkClusterDestinations(environment: Environment, clusters: string[]): void {
  for (const c of environment.destinationClusters) {
    if (!clusters.includes(c)) {
      fail(`Environment ${quote(environment.name)}`, 'clusterDestinations', `names ${quote(c)}, which is not a cluster of its mesh`, `use one of ${quote(clusters)}`);
    }
  }
}
