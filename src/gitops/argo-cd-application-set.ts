import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../imports/argoproj.io';
import { fail, quote } from '../core/errors';
import { MeshResource, MeshResourceOptions } from '../core/resource';
import { ArgoCdApplication, ARGO_CD_NAMESPACE } from './argo-cd-application';
import { validateRepoPath } from './git-source';

/** Which Argo CD objects apply the environments' folders (GitOpsEnvironments). */
export enum ArgoCdObjects {
  /** One Application per environment (× cluster), each a file of its own in Git. */
  APPLICATIONS = 'Applications',
  /**
   * One ApplicationSet whose list generator has an element per environment (× cluster) and which
   * generates the same Applications. Needs Argo CD 2.10 or later (`templatePatch`).
   */
  APPLICATION_SET = 'ApplicationSet',
  /**
   * One ApplicationSet whose Git files generator reads one config file per environment (× cluster),
   * `argocd/environments/<application>.json`, which `synth()` writes from the typed environments
   * and which no Application applies; it generates the same Applications. The AppProject is
   * literal in the template, never read from Git (a project read from Git lets anyone who can push
   * pick it: Argo CD ApplicationSet Security.md), so every environment must share one AppProject
   * (`argoCd.project`, or a single environment); the destination, ignore rules and sync policy are
   * read from Git, so the shared project's destinations bound where a push can deploy. The
   * ApplicationSet controller polls the repository (every 3 minutes by default). Needs Argo CD
   * 2.10 or later (`templatePatch`).
   */
  APPLICATION_SET_GIT = 'ApplicationSetGit',
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
  /**
   * The folder in the repository of the set's config files: with it, a Git files generator reads
   * `<gitFilesPath>/*.json` (one file per Application, named `<application>.json`, whose content
   * `configFiles()` gives; write them there) from the Applications' repository and revision,
   * instead of a list generator. The project stays literal in the template, so every Application
   * must belong to one AppProject.
   * @default - a list generator holding the values
   */
  readonly gitFilesPath?: string;
}

/** The spec fields that go in through templatePatch (as JSON) when they differ between the Applications. */
const PER_ELEMENT_PATCHED = ['destination', 'ignoreDifferences', 'syncPolicy'] as const;

/** The file key of an Application's folder: the files generator sets `path` itself (the config file's folder). */
const GIT_SOURCE_PATH_KEY = 'sourcePath';

/**
 * An Argo CD `ApplicationSet` (argoproj.io/v1alpha1) generating given Applications from a list
 * generator: one element per Application carrying its name and path, and of its project,
 * destination, ignoreDifferences and syncPolicy those that differ between the Applications (the
 * others are literal in the template). With `gitFilesPath`, the same values come from one JSON
 * file per Application read by a Git files generator instead (the folder as `sourcePath`, as the
 * generator sets `path`), and the project is always literal. Go templates (`goTemplate`) with `missingkey=error`, so a
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
  /** The folder of the config files in the repository (Git files generator), if any. */
  public readonly gitFilesPath?: string;
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
    if (props.gitFilesPath !== undefined) {
      this.gitFilesPath = validateRepoPath(this.node.path, 'gitFilesPath', props.gitFilesPath);
      const other = this.applications.find((a) => a.project !== first.project);
      if (other) {
        fail(this, 'applications', `mixes AppProjects with a Git files generator: ${quote(other.name)} is in ${quote(other.project)}, ${quote(first.name)} in ${quote(first.project)}; `
          + 'the project stays literal in the template, as a project read from Git would let anyone who can push to the repository choose it (Argo CD ApplicationSet Security.md, "Templated project field")',
        'put every Application in one AppProject, or leave gitFilesPath unset for a list generator, which can carry a project per Application');
      }
    }
    this.apiObject = new l1.ApplicationSet(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.ApplicationSetSpec,
    });
  }

  /**
   * The config files the Git files generator reads, by file name (`<application>.json`), to be
   * written to `gitFilesPath`: each Application's name, folder (`sourcePath`) and those of its
   * destination, ignoreDifferences and syncPolicy that differ between the Applications. Empty
   * without `gitFilesPath`.
   */
  public configFiles(): { [fileName: string]: string } {
    if (this.gitFilesPath === undefined) return {};
    return Object.fromEntries(this.parameters().elements.map((e) => [`${e.name}.json`, `${JSON.stringify(e, undefined, 2)}\n`]));
  }

  /** @internal */
  public _toKube(): l1.ApplicationSetSpec {
    const { spec, varying, elements } = this.parameters();
    const literal = Object.fromEntries(PER_ELEMENT_PATCHED.filter((k) => !varying.includes(k) && spec[k] !== undefined).map((k) => [k, spec[k]]));
    // An element without ignore rules carries [], which the generated Application drops like the
    // Applications mode does (ignoreDifferences is omitempty in Argo CD's Application type); an
    // `if` around it could leave `spec:` empty, which as a patch clears the whole spec (argo-cd#17040).
    const patch = PER_ELEMENT_PATCHED.filter((k) => varying.includes(k)).map((k) => `  ${k}: {{ toJson .${k} }}`);
    const generator = this.gitFilesPath === undefined
      ? { list: { elements } }
      : { git: { repoUrl: spec.source.repoUrl, revision: spec.source.targetRevision, files: [{ path: `${this.gitFilesPath === '.' ? '' : `${this.gitFilesPath}/`}*.json` }] } };
    return {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [generator],
      template: {
        metadata: { name: '{{ .name }}', namespace: this.namespace },
        spec: {
          project: varying.includes('project') ? '{{ .project }}' : spec.project,
          source: { ...spec.source, path: `{{ .${this.pathKey} }}` },
          // Required by the schema; the patch fills it in when it differs per element.
          destination: varying.includes('destination') ? {} : spec.destination,
          ...literal,
        },
      },
      ...(patch.length ? { templatePatch: `spec:\n${patch.join('\n')}\n` } : {}),
      syncPolicy: { preserveResourcesOnDeletion: true, applicationsSync: l1.ApplicationSetSpecSyncPolicyApplicationsSync.CREATE_HYPHEN_UPDATE },
    };
  }

  /** The parameter holding an Application's folder: the files generator sets `path` itself (the config file's folder). */
  private get pathKey(): string {
    return this.gitFilesPath === undefined ? 'path' : GIT_SOURCE_PATH_KEY;
  }

  /** The first Application's spec, the keys that differ between the Applications, and each one's values. */
  private parameters(): { spec: Record<string, any>; varying: string[]; elements: Record<string, any>[] } {
    const apps = this.applications.map((a) => ({ name: a.name, spec: a._toKube() as Record<string, any> }));
    const differs = (key: string) => apps.some((a) => JSON.stringify(a.spec[key]) !== JSON.stringify(apps[0].spec[key]));
    // a Git files generator never carries the project (checked in the constructor)
    const varying = ['project', ...PER_ELEMENT_PATCHED].filter(differs);
    const elements = apps.map((a) => ({
      name: a.name,
      [this.pathKey]: a.spec.source.path,
      ...Object.fromEntries(varying.map((k) => [k, a.spec[k] ?? []])),
    }));
    return { spec: apps[0].spec, varying, elements };
  }
}
