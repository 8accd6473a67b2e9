import { ApiObject, App, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as l1 from '../../imports/argoproj.io';
import { fail, quote } from '../core/errors';
import { MeshResource, MeshResourceOptions } from '../core/resource';
import { ArgoCdDestination } from './argo-cd-destination';
import { ArgoCdIgnoreRules } from './argo-cd-ignore-rules';
import { ArgoCdSyncPolicy } from './argo-cd-sync-policy';
import { objectNamespaces } from './output-objects';
import { validateRepoPath, validateRepoUrl, validateTargetRevision } from './git-source';

/** The namespace Argo CD is installed in, where it reads Applications and AppProjects. */
export const ARGO_CD_NAMESPACE = 'argocd';

/** Props of an {@link ArgoCdApplication}. */
export interface ArgoCdApplicationProps extends MeshResourceOptions {
  /**
   * The namespace of the Application: Argo CD's own (or one of its `application.namespaces`).
   * @default 'argocd'
   */
  readonly namespace?: string;
  /** The Git repository the manifests are committed to (https://, ssh:// or git@host:path). */
  readonly repoUrl: string;
  /**
   * The branch, tag or commit Argo CD applies.
   * @default 'HEAD' - the repository's default branch
   */
  readonly targetRevision?: string;
  /** The folder of the manifests in the repository, e.g. `deploy/bookinfo/prod`. */
  readonly path: string;
  /** The AppProject the Application belongs to. */
  readonly project: string;
  /** Where the objects are applied. Without a namespace, the first namespace of `objectsOf`'s objects is used (Argo CD checks it against the project). */
  readonly destination: ArgoCdDestination;
  /**
   * How Argo CD syncs.
   * @default - automated, prune and selfHeal on, allowEmpty off, 5 retries (ArgoCdSyncPolicy)
   */
  readonly syncPolicy?: ArgoCdSyncPolicy;
  /**
   * The construct (an App or a Chart) whose objects the Application applies: the
   * `ignoreDifferences` and the sync options they need are derived from it at synth
   * (ArgoCdIgnoreRules), and the destination namespace when the destination has none.
   * @default - no ignoreDifferences; the destination as given
   */
  readonly objectsOf?: IConstruct;
}

/**
 * An Argo CD `Application` (argoproj.io/v1alpha1) applying one folder of plain YAML from Git.
 *
 * Sync options: `FailOnSharedResource=true` (two Applications never fight over one object, e.g.
 * two environments sharing a namespace by mistake), `PruneLast=true` (removed objects go after
 * every wave of the new ones is healthy: make before break), and the options the ignore rules
 * need (`RespectIgnoreDifferences=true`). Only `*.yaml` files are read (`directory.include`): Argo
 * CD would parse the `target.json` beside the manifests as one.
 */
export class ArgoCdApplication extends MeshResource {
  public readonly apiObject: ApiObject;
  public readonly repoUrl: string;
  public readonly targetRevision: string;
  public readonly path: string;
  public readonly project: string;
  public readonly destination: ArgoCdDestination;
  private readonly syncPolicy: ArgoCdSyncPolicy;
  private readonly objectsOf?: IConstruct;

  public constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id, { ...props, namespace: props.namespace ?? ARGO_CD_NAMESPACE });
    if (this.name.length > 63) {
      fail(this, 'name', `is ${this.name.length} characters long, got ${quote(this.name)}`,
        'use at most 63 characters: Argo CD writes the Application name into a label (app.kubernetes.io/instance) when it tracks objects by label');
    }
    this.repoUrl = validateRepoUrl(this.node.path, 'repoUrl', props.repoUrl);
    this.targetRevision = validateTargetRevision(this.node.path, 'targetRevision', props.targetRevision ?? 'HEAD');
    this.path = validateRepoPath(this.node.path, 'path', props.path);
    if (!props.project) fail(this, 'project', `must name an AppProject, got ${quote(props.project)}`, 'pass the project, e.g. "default"');
    this.project = props.project;
    this.destination = props.destination;
    this.syncPolicy = validateSyncPolicy(this, props.syncPolicy ?? {});
    this.objectsOf = props.objectsOf;
    this.apiObject = new l1.Application(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.ApplicationSpec,
    });
  }

  /** @internal */
  public _toKube(): l1.ApplicationSpec {
    const rules = this.objectsOf ? ArgoCdIgnoreRules.of(this.objectsOf) : undefined;
    const namespace = this.destination.namespace ?? (this.objectsOf ? this.firstNamespace(this.objectsOf) : undefined);
    const p = this.syncPolicy;
    const automated = p.automated ?? true;
    return {
      project: this.project,
      source: { repoUrl: this.repoUrl, targetRevision: this.targetRevision, path: this.path, directory: { include: '*.yaml' } },
      destination: {
        ...(this.destination.server ? { server: this.destination.server } : { name: this.destination.clusterName }),
        ...(namespace ? { namespace } : {}),
      },
      ...(rules?.ignoreDifferences.length ? { ignoreDifferences: rules.ignoreDifferences.map((d) => ({ ...d })) } : {}),
      syncPolicy: {
        ...(automated ? { automated: { prune: p.prune ?? true, selfHeal: p.selfHeal ?? true, allowEmpty: false } } : {}),
        syncOptions: ['FailOnSharedResource=true', 'PruneLast=true', ...(rules?.syncOptions ?? [])],
        retry: { limit: p.retryLimit ?? 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
      },
    };
  }

  private firstNamespace(scope: IConstruct): string {
    const first = objectNamespaces(scope)[0];
    if (!first) {
      // an App has no path: name it by the folder it writes
      const of = scope instanceof App ? `the App writing ${quote(scope.outdir)}` : quote(scope.node.path);
      fail(this, 'destination.namespace', `is not set and no object of ${of} names a namespace (${scope.node.findAll().some(ApiObject.isApiObject) ? 'every object is cluster-scoped' : 'it renders no object'})`,
        'give the destination a namespace, e.g. ArgoCdDestination.inCluster("shop")');
    }
    return first;
  }
}

function validateSyncPolicy(scope: IConstruct, policy: ArgoCdSyncPolicy): ArgoCdSyncPolicy {
  if (policy.automated === false && (policy.prune !== undefined || policy.selfHeal !== undefined)) {
    fail(scope, 'syncPolicy', `sets ${policy.prune !== undefined ? 'prune' : 'selfHeal'} with automated: false`,
      'prune and selfHeal configure automated sync only: leave them out (prune is then chosen per manual sync), or set automated: true');
  }
  const limit = policy.retryLimit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0 || limit > 100)) {
    fail(scope, 'syncPolicy.retryLimit', `must be an integer from 0 to 100, got ${quote(limit)}`, 'use e.g. 5 (0 turns retries off)');
  }
  return { ...policy };
}
