import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../imports/argoproj.io';
import { fail, quote } from '../core/errors';
import { MeshResource, MeshResourceOptions } from '../core/resource';
import { ArgoCdApplication, ARGO_CD_NAMESPACE } from './argo-cd-application';

/** Which Argo CD objects apply the environments' folders (GitOpsEnvironments). */
export enum ArgoCdObjects {
  /** One Application per environment (× cluster), each a file of its own in Git. */
  APPLICATIONS = 'Applications',
  /**
   * One ApplicationSet whose list generator has an element per environment (× cluster) and which
   * generates the same Applications. Needs Argo CD 2.10 or later (`templatePatch`).
   */
  APPLICATION_SET = 'ApplicationSet',
}

/** Props of an {@link ArgoCdApplicationSet}. */
export interface ArgoCdApplicationSetProps extends MeshResourceOptions {
  /**
   * The namespace of the ApplicationSet and of the Applications it generates.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * The Applications the set generates, in the set's namespace, all from one repository and
   * revision. They are read, not rendered: create them in a scope that is not synthesized.
   */
  readonly applications: ArgoCdApplication[];
}

/** The spec fields that go in through templatePatch (as JSON) when they differ between the Applications. */
const PER_ELEMENT_PATCHED = ['destination', 'ignoreDifferences', 'syncPolicy'] as const;

/**
 * An Argo CD `ApplicationSet` (argoproj.io/v1alpha1) generating given Applications from a list
 * generator: one element per Application carrying its name and path, and of its project,
 * destination, ignoreDifferences and syncPolicy those that differ between the Applications (the
 * others are literal in the template). Go templates (`goTemplate`) with `missingkey=error`, so a
 * key missing from an element fails the generation instead of rendering "<no value>"; the
 * object-valued keys go in through `templatePatch` as JSON.
 *
 * Removing an element must not remove what its Application applied:
 * `preserveResourcesOnDeletion: true` generates the Applications without Argo CD's resources
 * finalizer (as the Applications are rendered anyway), so a deleted Application leaves its objects
 * in the cluster; `applicationsSync: create-update` keeps the Application itself, where the
 * ApplicationSet controller lets a set choose its policy (`--enable-policy-override`).
 */
export class ArgoCdApplicationSet extends MeshResource {
  public readonly apiObject: ApiObject;
  private readonly applications: ArgoCdApplication[];

  public constructor(scope: Construct, id: string, props: ArgoCdApplicationSetProps) {
    super(scope, id, { ...props, namespace: props.namespace ?? ARGO_CD_NAMESPACE });
    this.applications = [...props.applications];
    if (this.applications.length === 0) fail(this, 'applications', 'is empty', 'pass the Applications the set generates');
    const first = this.applications[0];
    for (const a of this.applications) {
      if (a.namespace !== this.namespace) {
        fail(this, 'applications', `has ${quote(a.name)} in namespace ${quote(a.namespace)}, not the set's ${quote(this.namespace)}`, 'create the Applications in the namespace of the ApplicationSet');
      }
      if (a.repoUrl !== first.repoUrl || a.targetRevision !== first.targetRevision) {
        fail(this, 'applications', `mixes sources: ${quote(a.name)} reads ${quote(`${a.repoUrl}@${a.targetRevision}`)}, ${quote(first.name)} ${quote(`${first.repoUrl}@${first.targetRevision}`)}`,
          'use one ApplicationSet per repository and revision');
      }
    }
    this.apiObject = new l1.ApplicationSet(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.ApplicationSetSpec,
    });
  }

  /** @internal */
  public _toKube(): l1.ApplicationSetSpec {
    const apps = this.applications.map((a) => ({ name: a.name, spec: a._toKube() as Record<string, any> }));
    const differs = (key: string) => apps.some((a) => JSON.stringify(a.spec[key]) !== JSON.stringify(apps[0].spec[key]));
    const varying = ['project', ...PER_ELEMENT_PATCHED].filter(differs);
    const elements = apps.map((a) => ({
      name: a.name,
      path: a.spec.source.path,
      ...Object.fromEntries(varying.map((k) => [k, a.spec[k] ?? []])),
    }));
    const spec = apps[0].spec;
    const literal = Object.fromEntries(PER_ELEMENT_PATCHED.filter((k) => !varying.includes(k) && spec[k] !== undefined).map((k) => [k, spec[k]]));
    // An element without ignore rules carries [], which the generated Application drops like the
    // Applications mode does (ignoreDifferences is omitempty in Argo CD's Application type); an
    // `if` around it could leave `spec:` empty, which as a patch clears the whole spec (argo-cd#17040).
    const patch = PER_ELEMENT_PATCHED.filter((k) => varying.includes(k)).map((k) => `  ${k}: {{ toJson .${k} }}`);
    return {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements } }],
      template: {
        metadata: { name: '{{ .name }}', namespace: this.namespace },
        spec: {
          project: varying.includes('project') ? '{{ .project }}' : spec.project,
          source: { ...spec.source, path: '{{ .path }}' },
          // Required by the schema; the patch fills it in when it differs per element.
          destination: varying.includes('destination') ? {} : spec.destination,
          ...literal,
        },
      },
      ...(patch.length ? { templatePatch: `spec:\n${patch.join('\n')}\n` } : {}),
      syncPolicy: { preserveResourcesOnDeletion: true, applicationsSync: l1.ApplicationSetSpecSyncPolicyApplicationsSync.CREATE_HYPHEN_UPDATE },
    };
  }
}
