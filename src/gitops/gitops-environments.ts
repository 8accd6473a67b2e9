import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { fail, quote } from '../core/errors';
import { validateDnsLabel } from '../core/names';
import { MultiClusterMesh } from '../multicluster/multi-cluster-mesh';
import { ArgoCdApplication, ARGO_CD_NAMESPACE } from './argo-cd-application';
import { ArgoCdDestination } from './argo-cd-destination';
import { ArgoCdProject } from './argo-cd-project';
import { ArgoCdSyncPolicy } from './argo-cd-sync-policy';
import { ArgoCdSyncWaves } from './argo-cd-sync-waves';
import { checkClusterDestinations, Environment, IEnvironmentBuilder, IMultiClusterEnvironmentBuilder } from './environment';
import { validateRepoPath, validateRepoUrl, validateTargetRevision } from './git-source';
import { checkNoSharedObjects } from './shared-objects';

/** Where the environments' output is committed and how Argo CD applies it. */
export interface GitOpsArgoCdOptions {
  /** The Git repository the output is committed to (https://, ssh:// or git@host:path). */
  readonly repoUrl: string;
  /**
   * The branch, tag or commit Argo CD applies.
   * @default 'HEAD' - the repository's default branch
   */
  readonly targetRevision?: string;
  /**
   * The folder in the repository that `outdir` is committed as, e.g. `deploy/bookinfo`.
   * @default - `outdir`, when it is a relative path
   */
  readonly path?: string;
  /**
   * An existing AppProject for every Application.
   * @default - one AppProject per environment (`<name>-<env>`) permitting exactly its repository,
   * destinations, namespaces and kinds, and one (`<name>`) for the root Application
   */
  readonly project?: string;
  /**
   * The namespace Argo CD runs in, where the Applications and AppProjects go.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * How Argo CD syncs the environments' Applications; an environment's own policy wins.
   * @default - automated with prune and selfHeal, allowEmpty off, 5 retries
   */
  readonly syncPolicy?: ArgoCdSyncPolicy;
}

/** Props of {@link GitOpsEnvironments}. */
export interface GitOpsEnvironmentsProps {
  /** The app's name: the Argo CD objects are `<name>` (root) and `<name>-<env>[-<cluster>]`; a DNS label. */
  readonly name: string;
  /** The environments, each written to `<outdir>/<env>/`. */
  readonly environments: Environment[];
  /**
   * Builds each environment of a single-cluster app (one App per environment). Set this or `meshBuilder`.
   * @default - none
   */
  readonly builder?: IEnvironmentBuilder;
  /**
   * Builds each environment of a multi-cluster app (one MultiClusterMesh per environment, a folder per cluster). Set this or `builder`.
   * @default - none
   */
  readonly meshBuilder?: IMultiClusterEnvironmentBuilder;
  /** @default 'dist' */
  readonly outdir?: string;
  /** The repository, revision, project and namespace of the Argo CD objects. */
  readonly argoCd: GitOpsArgoCdOptions;
  /**
   * Annotate every object of every environment with its Argo CD sync wave (ArgoCdSyncWaves).
   * @default true
   */
  readonly syncWaves?: boolean;
}

/** One Argo CD Application's worth of output: an environment, or one cluster of it. */
interface Target {
  readonly environment: Environment;
  readonly cluster?: string;
  readonly app: App;
}

/**
 * One app, several environments, applied by Argo CD: builds every environment from one builder,
 * writes each to its own folder, and renders the Argo CD objects that apply them.
 *
 * Layout of `outdir` (committed as `argoCd.path` in `argoCd.repoUrl`):
 * - `<env>/`: the environment's manifests (single cluster), or `<env>/<cluster>/` per cluster of its mesh;
 * - `argocd/applications/`: one Application per environment (× cluster), applied by the root;
 * - `argocd/root/`: the root Application (app of apps, pointing at `argocd/applications/`) and
 *   the AppProjects, applied once by an Argo CD admin (`kubectl apply -f argocd/root/`), so that a
 *   commit cannot widen what a project permits.
 */
export class GitOpsEnvironments {
  /** The folder under outdir with the Argo CD objects; no environment may have this name. */
  public static readonly ARGO_CD_FOLDER = 'argocd';

  public readonly name: string;
  public readonly outdir: string;
  /** The folder in the repository that outdir is committed as. */
  public readonly repoPath: string;
  public readonly environments: Environment[];
  /** The App writing `argocd/applications/`. */
  public readonly applicationsApp: App;
  /** The App writing `argocd/root/`. */
  public readonly rootApp: App;
  private readonly targets: Target[] = [];
  private readonly meshes = new Map<string, MultiClusterMesh>();
  private readonly envApps = new Map<string, App>();

  public constructor(props: GitOpsEnvironmentsProps) {
    const where = `GitOpsEnvironments ${quote(props.name)}`;
    this.name = validateDnsLabel(where, 'name', props.name);
    this.outdir = props.outdir ?? 'dist';
    this.environments = [...props.environments];
    if (this.environments.length === 0) fail(where, 'environments', 'is empty', 'list the environments, e.g. dev, staging and prod');
    const seen = new Set<string>();
    for (const e of this.environments) {
      if (seen.has(e.name)) fail(where, 'environments', `names ${quote(e.name)} twice`, 'give each environment its own name');
      if (e.name === GitOpsEnvironments.ARGO_CD_FOLDER) fail(where, 'environments', `names ${quote(e.name)}, the folder of the Argo CD objects`, 'rename the environment');
      seen.add(e.name);
    }
    if (!props.builder === !props.meshBuilder) {
      fail(where, 'builder', props.builder ? 'and meshBuilder are both set' : 'and meshBuilder are both missing', 'set builder for a single-cluster app or meshBuilder for a MultiClusterMesh');
    }
    const argo = props.argoCd;
    validateRepoUrl(where, 'argoCd.repoUrl', argo.repoUrl);
    validateTargetRevision(where, 'argoCd.targetRevision', argo.targetRevision ?? 'HEAD');
    if (argo.path === undefined && path.isAbsolute(this.outdir)) {
      fail(where, 'argoCd.path', `is not set and outdir ${quote(this.outdir)} is absolute`, 'set argoCd.path to the folder outdir is committed as in the repository');
    }
    this.repoPath = validateRepoPath(where, 'argoCd.path', argo.path ?? path.posix.normalize(this.outdir.split(path.sep).join('/')).replace(/\/$/, ''));

    for (const env of this.environments) {
      const envDir = path.join(this.outdir, env.name);
      if (props.builder) {
        const app = new App({ outdir: envDir });
        props.builder.buildEnvironment(app, env);
        this.envApps.set(env.name, app);
        this.targets.push({ environment: env, app });
      } else {
        const mesh = props.meshBuilder!.buildMesh(env, envDir);
        if (path.resolve(mesh.outdir) !== path.resolve(envDir)) {
          fail(where, `meshBuilder (environment ${quote(env.name)})`, `returned a mesh writing to ${quote(mesh.outdir)}`, `create the MultiClusterMesh with outdir: the outdir passed to buildMesh (${quote(envDir)})`);
        }
        checkClusterDestinations(env, mesh.clusters.map((c) => c.name));
        this.meshes.set(env.name, mesh);
        for (const c of mesh.clusters) this.targets.push({ environment: env, cluster: c.name, app: mesh.app(c.name) });
      }
    }
    if (props.syncWaves ?? true) for (const t of this.targets) ArgoCdSyncWaves.enable(t.app);

    this.applicationsApp = new App({ outdir: path.join(this.outdir, GitOpsEnvironments.ARGO_CD_FOLDER, 'applications') });
    this.rootApp = new App({ outdir: path.join(this.outdir, GitOpsEnvironments.ARGO_CD_FOLDER, 'root') });
    this.renderArgoCd(argo);
  }

  /** The App of a single-cluster environment, to add charts to after the builder ran. */
  public app(environment: string): App {
    const app = this.envApps.get(environment);
    if (!app) {
      fail(`GitOpsEnvironments ${quote(this.name)}`, 'environment', `${quote(environment)} is not a single-cluster environment`,
        `use one of ${quote([...this.envApps.keys()])}${this.meshes.size ? ', or mesh() for a multi-cluster environment' : ''}`);
    }
    return app;
  }

  /** The MultiClusterMesh of an environment built by meshBuilder. */
  public mesh(environment: string): MultiClusterMesh {
    const mesh = this.meshes.get(environment);
    if (!mesh) fail(`GitOpsEnvironments ${quote(this.name)}`, 'environment', `${quote(environment)} has no MultiClusterMesh`, `use one of ${quote([...this.meshes.keys()])}`);
    return mesh;
  }

  /** Every App that writes manifests: each environment's (or each cluster's of it), then the Argo CD ones. */
  public get apps(): App[] {
    return [...this.targets.map((t) => t.app), this.applicationsApp, this.rootApp];
  }

  /** The folder of each Argo CD Application's manifests in the repository, by Application name. */
  public get applicationPaths(): { [application: string]: string } {
    return Object.fromEntries(this.targets.map((t) => [this.applicationName(t), this.repoPathOf(t)]));
  }

  /**
   * Writes every environment's folder and the Argo CD objects. Refuses two Applications that would
   * apply the same object to the same cluster (e.g. two environments in one namespace).
   */
  public synth(): void {
    checkNoSharedObjects(`GitOpsEnvironments ${quote(this.name)}`,
      this.targets.map((t) => ({ application: this.applicationName(t), destination: this.destinationOf(t), scope: t.app })));
    for (const env of this.environments) {
      const mesh = this.meshes.get(env.name);
      if (mesh) mesh.synth();
      else this.envApps.get(env.name)!.synth();
    }
    this.applicationsApp.synth();
    this.rootApp.synth();
  }

  private renderArgoCd(argo: GitOpsArgoCdOptions): void {
    const namespace = argo.namespace ?? ARGO_CD_NAMESPACE;
    const applications = new Chart(this.applicationsApp, 'applications');
    const root = new Chart(this.rootApp, 'root');
    const ownProjects = argo.project === undefined;
    if (ownProjects) {
      new ArgoCdProject(root, 'project', {
        name: this.name, namespace, sourceRepos: [argo.repoUrl],
        description: `${this.name}: the root Application, which may only create the environments' Applications`,
        destinations: [ArgoCdDestination.inCluster(namespace)],
        namespacedResources: [{ group: 'argoproj.io', kind: 'Application' }],
      });
    }
    const projects = new Map<string, ArgoCdProject>();
    for (const t of this.targets) {
      const env = t.environment;
      const destination = this.destinationOf(t);
      let project = argo.project;
      if (ownProjects) {
        let p = projects.get(env.name);
        if (!p) {
          p = new ArgoCdProject(root, `project-${env.name}`, {
            name: `${this.name}-${env.name}`, namespace, sourceRepos: [argo.repoUrl],
            description: `${this.name} ${env.name}: exactly the clusters, namespaces and kinds of its output`,
          });
          projects.set(env.name, p);
        }
        p.permitObjectsOf(t.app, destination);
        project = p.name;
      }
      new ArgoCdApplication(applications, this.applicationName(t), {
        namespace, repoUrl: argo.repoUrl, targetRevision: argo.targetRevision, path: this.repoPathOf(t), project: project!,
        destination, syncPolicy: env.syncPolicy ?? argo.syncPolicy, objectsOf: t.app,
      });
    }
    new ArgoCdApplication(root, this.name, {
      namespace, repoUrl: argo.repoUrl, targetRevision: argo.targetRevision,
      path: `${this.repoPath}/${GitOpsEnvironments.ARGO_CD_FOLDER}/applications`.replace(/^\.\//, ''),
      project: argo.project ?? this.name, destination: ArgoCdDestination.inCluster(namespace), syncPolicy: argo.syncPolicy,
    });
  }

  private applicationName(t: Target): string {
    return [this.name, t.environment.name, ...(t.cluster ? [t.cluster] : [])].join('-');
  }

  private repoPathOf(t: Target): string {
    return [...(this.repoPath === '.' ? [] : [this.repoPath]), t.environment.name, ...(t.cluster ? [t.cluster] : [])].join('/');
  }

  private destinationOf(t: Target): ArgoCdDestination {
    return t.cluster ? t.environment.destinationOf(t.cluster) : t.environment.destination;
  }
}
