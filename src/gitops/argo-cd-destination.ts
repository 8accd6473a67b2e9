import { fail, quote } from '../core/errors';
import { validateDnsLabel } from '../core/names';

/**
 * Where an Argo CD Application applies its objects: a cluster Argo CD knows (by API server URL or
 * by the name it was registered under) and, optionally, the namespace for the objects that name
 * none. Exactly one of server and cluster name is set.
 */
export class ArgoCdDestination {
  /** The API server of the cluster Argo CD runs in, as Argo CD registers it. */
  public static readonly IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

  /**
   * The cluster Argo CD runs in (`server: https://kubernetes.default.svc`).
   * @param namespace the namespace for objects that name none; default: the environment's own namespace
   */
  public static inCluster(namespace?: string): ArgoCdDestination {
    return new ArgoCdDestination(ArgoCdDestination.IN_CLUSTER_SERVER, undefined, namespace);
  }

  /**
   * A cluster by its API server URL, as registered in Argo CD (`argocd cluster add`).
   * @param namespace the namespace for objects that name none; default: the environment's own namespace
   */
  public static toServer(url: string, namespace?: string): ArgoCdDestination {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.search || parsed.hash) {
      fail('ArgoCdDestination.toServer', 'url', `must be the https:// URL of a Kubernetes API server, without credentials, query or fragment, got ${quote(url)}`,
        'pass the server URL Argo CD registered the cluster with (`argocd cluster list`), e.g. "https://10.0.0.1:6443"');
    }
    return new ArgoCdDestination(url, undefined, namespace);
  }

  /**
   * A cluster by the name it was registered under in Argo CD (`argocd cluster add --name`).
   * @param namespace the namespace for objects that name none; default: the environment's own namespace
   */
  public static toCluster(name: string, namespace?: string): ArgoCdDestination {
    if (typeof name !== 'string' || !/^[A-Za-z0-9]([-A-Za-z0-9_.@:]*[A-Za-z0-9])?$/.test(name)) {
      fail('ArgoCdDestination.toCluster', 'name', `must be the name of a cluster registered in Argo CD (letters, digits, '-', '_', '.', '@', ':'), got ${quote(name)}`,
        'pass the NAME column of `argocd cluster list`');
    }
    return new ArgoCdDestination(undefined, name, namespace);
  }

  /** The API server URL, if the destination names the cluster by server. */
  public readonly server?: string;
  /** The Argo CD cluster name, if the destination names the cluster by name. */
  public readonly clusterName?: string;
  /** The namespace for objects that name none, if set. */
  public readonly namespace?: string;

  private constructor(server: string | undefined, clusterName: string | undefined, namespace: string | undefined) {
    this.server = server;
    this.clusterName = clusterName;
    this.namespace = namespace === undefined ? undefined : validateDnsLabel('ArgoCdDestination', 'namespace', namespace);
  }

  /** The same cluster with another namespace. */
  public withNamespace(namespace: string): ArgoCdDestination {
    return new ArgoCdDestination(this.server, this.clusterName, namespace);
  }

  /** The cluster as the text of an error message or a diagram: its name or its server. */
  public get cluster(): string {
    return this.clusterName ?? this.server!;
  }
}
