import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as l1 from '../../imports/argoproj.io';
import { fail, quote } from '../core/errors';
import { MeshResource, MeshResourceOptions } from '../core/resource';
import { ARGO_CD_NAMESPACE } from './argo-cd-application';
import { ArgoCdDestination } from './argo-cd-destination';
import { validateRepoUrl } from './git-source';
import { groupOf, isClusterScoped } from './output-objects';

/** A kind of object an AppProject permits (`''` is the core group). */
export interface ArgoCdGroupKind {
  readonly group: string;
  readonly kind: string;
}

/** Props of an {@link ArgoCdProject}. */
export interface ArgoCdProjectProps extends MeshResourceOptions {
  /** @default 'argocd' */
  readonly namespace?: string;
  /** @default - none */
  readonly description?: string;
  /** The repositories the project's Applications may apply from. */
  readonly sourceRepos: string[];
  /**
   * The clusters and namespaces the project's Applications may apply to; each needs a namespace.
   * @default - none; add with addDestination() or permitObjectsOf()
   */
  readonly destinations?: ArgoCdDestination[];
  /**
   * The namespaced kinds the project's Applications may apply (an empty list permits none).
   * @default - none; add with addNamespacedResource() or permitObjectsOf()
   */
  readonly namespacedResources?: ArgoCdGroupKind[];
  /**
   * The cluster-scoped kinds the project's Applications may apply (an empty list permits none).
   * @default - none; add with addClusterResource() or permitObjectsOf()
   */
  readonly clusterResources?: ArgoCdGroupKind[];
}

/**
 * An Argo CD `AppProject` (argoproj.io/v1alpha1): what its Applications may apply, where and from
 * which repository. Whitelists are exact (every kind listed, the empty list permitting none), so an
 * environment's Application cannot create a kind or touch a namespace its output does not have.
 */
export class ArgoCdProject extends MeshResource {
  public readonly apiObject: ApiObject;
  public readonly sourceRepos: string[];
  private readonly description?: string;
  private readonly destinations = new Map<string, ArgoCdDestination>();
  private readonly namespaced = new Map<string, ArgoCdGroupKind>();
  private readonly clusterScoped = new Map<string, ArgoCdGroupKind>();
  private readonly permitted: Array<{ scope: IConstruct; destination: ArgoCdDestination }> = [];

  public constructor(scope: Construct, id: string, props: ArgoCdProjectProps) {
    super(scope, id, { ...props, namespace: props.namespace ?? ARGO_CD_NAMESPACE });
    if (props.sourceRepos.length === 0) fail(this, 'sourceRepos', 'is empty', 'list the repository the Applications apply from');
    this.sourceRepos = props.sourceRepos.map((r, i) => validateRepoUrl(this.node.path, `sourceRepos[${i}]`, r));
    this.description = props.description;
    for (const d of props.destinations ?? []) this.addDestination(d);
    for (const gk of props.namespacedResources ?? []) this.addNamespacedResource(gk);
    for (const gk of props.clusterResources ?? []) this.addClusterResource(gk);
    this.apiObject = new l1.AppProject(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.AppProjectSpec,
    });
  }

  /** Permits a cluster and namespace (the destination must name its namespace). */
  public addDestination(destination: ArgoCdDestination): void {
    if (!destination.namespace) {
      fail(this, 'destinations', `has ${quote(destination.cluster)} without a namespace`, 'use e.g. ArgoCdDestination.inCluster("shop")');
    }
    this.destinations.set(destinationKey(destination), destination);
  }

  /** Permits a namespaced kind. */
  public addNamespacedResource(groupKind: ArgoCdGroupKind): void {
    this.namespaced.set(`${groupKind.group}/${groupKind.kind}`, { group: groupKind.group, kind: groupKind.kind });
  }

  /** Permits a cluster-scoped kind. */
  public addClusterResource(groupKind: ArgoCdGroupKind): void {
    this.clusterScoped.set(`${groupKind.group}/${groupKind.kind}`, { group: groupKind.group, kind: groupKind.kind });
  }

  /**
   * Permits, at synth, exactly what the objects below `scope` need on `destination`: the namespace
   * of each namespaced object (the destination's namespace for an object that names none) and each
   * object's kind. An object that names no namespace when the destination has none is an error.
   */
  public permitObjectsOf(scope: IConstruct, destination: ArgoCdDestination): void {
    this.permitted.push({ scope, destination });
  }

  /** @internal */
  public _toKube(): l1.AppProjectSpec {
    const destinations = new Map(this.destinations);
    const namespaced = new Map(this.namespaced);
    const clusterScoped = new Map(this.clusterScoped);
    for (const { scope, destination } of this.permitted) {
      for (const o of scope.node.findAll().filter(ApiObject.isApiObject)) {
        const gk = { group: groupOf(o.apiVersion), kind: o.kind };
        const key = `${gk.group}/${gk.kind}`;
        if (isClusterScoped(o.apiVersion, o.kind)) {
          clusterScoped.set(key, gk);
          continue;
        }
        namespaced.set(key, gk);
        const ns = o.toJson().metadata?.namespace ?? destination.namespace;
        if (!ns) {
          fail(o, 'metadata.namespace', `is not set and the destination ${quote(destination.cluster)} has none`,
            'give the chart a namespace, or give the destination one (e.g. ArgoCdDestination.inCluster("shop"))');
        }
        const d = destination.withNamespace(ns);
        destinations.set(destinationKey(d), d);
      }
    }
    const sorted = <T>(m: Map<string, T>): T[] => [...m.keys()].sort().map((k) => m.get(k)!);
    return {
      ...(this.description ? { description: this.description } : {}),
      sourceRepos: [...this.sourceRepos],
      destinations: sorted(destinations).map((d) => ({ ...(d.server ? { server: d.server } : { name: d.clusterName }), namespace: d.namespace })),
      clusterResourceWhitelist: sorted(clusterScoped),
      namespaceResourceWhitelist: sorted(namespaced),
    };
  }
}

function destinationKey(d: ArgoCdDestination): string {
  return `${d.server ? 'server' : 'name'}\u0000${d.cluster}\u0000${d.namespace}`;
}
