import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  ArgoCdDestination, ArgoCdSyncWaves, Environment, EnvironmentProps, GitOpsEnvironments, GitOpsEnvironmentsProps, IEnvironmentBuilder,
  MeshService, ServicePort, ServiceWorkloads,
} from '../../src';
import { SchemaBatch } from '../support/schema';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-env-'));
const REPO = 'https://github.com/acme/deploy.git';
const schemas = new SchemaBatch();

interface ShopProps extends EnvironmentProps { readonly replicas: number; readonly autoscale?: boolean }
class ShopEnvironment extends Environment {
  public readonly replicas: number;
  public readonly autoscale: boolean;
  public constructor(props: ShopProps) {
    super(props);
    this.replicas = props.replicas;
    this.autoscale = props.autoscale ?? false;
  }
}

/** The typed builder: `env` is a ShopEnvironment, no cast (methods are bivariant in their parameters). */
class ShopBuilder implements IEnvironmentBuilder {
  public readonly built: string[] = [];
  public buildEnvironment(app: App, env: ShopEnvironment): void {
    this.built.push(env.name);
    const chart = new Chart(app, 'shop', { namespace: `shop-${env.name}` });
    const service = new MeshService(chart, 'cart', { ports: [ServicePort.http(8080)], versions: ['v1'] });
    new ServiceWorkloads(chart, 'cart-workloads', {
      service, versions: [{ version: 'v1', image: 'ghcr.io/acme/cart:1.0.0' }],
      replicas: env.autoscale ? undefined : env.replicas, autoscaling: env.autoscale ? {} : undefined,
    });
  }
}

const shopEnvs = (): ShopEnvironment[] => [
  new ShopEnvironment({ name: 'dev', replicas: 1 }),
  new ShopEnvironment({ name: 'prod', replicas: 3, autoscale: true, destination: ArgoCdDestination.toCluster('prod'), syncPolicy: { automated: false } }),
];

function gitops(extra: Partial<GitOpsEnvironmentsProps> = {}): GitOpsEnvironments {
  return new GitOpsEnvironments({ name: 'shop', outdir: 'out/shop', environments: shopEnvs(), builder: new ShopBuilder(), argoCd: { repoUrl: REPO }, ...extra });
}

function objectsOf(app: App): any[] {
  return schemas.add(app.outdir, app.charts.flatMap((c) => c.toJson()));
}
const application = (g: GitOpsEnvironments, name: string): any => objectsOf(g.applicationsApp).concat(objectsOf(g.rootApp)).find((o) => o.kind === 'Application' && o.metadata.name === name);
const project = (g: GitOpsEnvironments, name: string): any => objectsOf(g.rootApp).find((o) => o.kind === 'AppProject' && o.metadata.name === name);

describe('GitOpsEnvironments, one cluster', () => {
  test('builds every environment with its own App writing <outdir>/<env>/', () => {
    const builder = new ShopBuilder();
    const g = gitops({ builder });
    expect(builder.built).toEqual(['dev', 'prod']);
    expect(g.app('dev').outdir).toBe(path.join('out/shop', 'dev'));
    expect(g.apps.map((a) => a.outdir)).toEqual(['dev', 'prod', 'argocd/applications', 'argocd/root'].map((d) => path.join('out/shop', d)));
    const deployment = (env: string) => g.app(env).charts[0].toJson().find((o: any) => o.kind === 'Deployment');
    expect(deployment('dev').spec.replicas).toBe(1);
    expect(deployment('prod').spec.replicas).toBeUndefined(); // the HPA's
  });

  test('an Application per environment: repository, revision, path, project and destination', () => {
    const g = gitops({ argoCd: { repoUrl: REPO, targetRevision: 'release/1.4', path: 'deploy/shop' } });
    expect(application(g, 'shop-dev').spec).toEqual({
      project: 'shop-dev',
      source: { repoURL: REPO, targetRevision: 'release/1.4', path: 'deploy/shop/dev', directory: { include: '*.yaml' } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'shop-dev' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true, allowEmpty: false },
        syncOptions: ['FailOnSharedResource=true', 'PruneLast=true'],
        retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
      },
    });
    expect(application(g, 'shop-dev').metadata).toEqual({ name: 'shop-dev', namespace: 'argocd' });
    expect(application(g, 'shop-prod').spec.destination).toEqual({ name: 'prod', namespace: 'shop-prod' });
  });

  test('the environment\'s sync policy wins: prod syncs by hand', () => {
    const spec = application(gitops(), 'shop-prod').spec;
    expect(spec.syncPolicy.automated).toBeUndefined();
    expect(spec.syncPolicy.syncOptions).toContain('PruneLast=true');
  });

  test('each Application ignores exactly what its own environment\'s controllers own', () => {
    const g = gitops();
    expect(application(g, 'shop-dev').spec.ignoreDifferences).toBeUndefined();
    expect(application(g, 'shop-dev').spec.syncPolicy.syncOptions).not.toContain('RespectIgnoreDifferences=true');
    expect(application(g, 'shop-prod').spec.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', name: 'cart-v1', namespace: 'shop-prod', jsonPointers: ['/spec/replicas'] }]);
    expect(application(g, 'shop-prod').spec.syncPolicy.syncOptions).toEqual(['FailOnSharedResource=true', 'PruneLast=true', 'RespectIgnoreDifferences=true']);
  });

  test('the root Application applies the folder of the Applications, from its own restricted project', () => {
    const g = gitops({ argoCd: { repoUrl: REPO, path: 'deploy/shop' } });
    const root = application(g, 'shop');
    expect(root.spec.source.path).toBe('deploy/shop/argocd/applications');
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    expect(root.spec.project).toBe('shop');
    expect(project(g, 'shop').spec).toEqual({
      description: expect.stringMatching(/root Application/), sourceRepos: [REPO],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }],
      clusterResourceWhitelist: [], namespaceResourceWhitelist: [{ group: 'argoproj.io', kind: 'Application' }],
    });
  });

  test('an environment\'s AppProject permits exactly its repository, destination, namespaces and kinds', () => {
    const spec = project(gitops(), 'shop-prod').spec;
    expect(spec.sourceRepos).toEqual([REPO]);
    expect(spec.destinations).toEqual([{ name: 'prod', namespace: 'shop-prod' }]);
    expect(spec.clusterResourceWhitelist).toEqual([]);
    expect(spec.namespaceResourceWhitelist).toEqual([
      { group: '', kind: 'Service' }, { group: '', kind: 'ServiceAccount' }, { group: 'apps', kind: 'Deployment' },
      { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' }, { group: 'networking.istio.io', kind: 'DestinationRule' },
    ]);
  });

  test('a Namespace in the output is permitted as a cluster-scoped kind', () => {
    const g = gitops();
    const ns = new Chart(g.app('dev'), 'namespace');
    new ApiObject(ns, 'shop-dev', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop-dev' } });
    expect(project(g, 'shop-dev').spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
  });

  test('with an existing project: every Application uses it and no AppProject is rendered', () => {
    const g = gitops({ argoCd: { repoUrl: REPO, project: 'platform' } });
    expect(objectsOf(g.rootApp).filter((o) => o.kind === 'AppProject')).toEqual([]);
    for (const name of ['shop', 'shop-dev', 'shop-prod']) expect(application(g, name).spec.project).toBe('platform');
  });

  test('sync waves are enabled for every environment unless turned off', () => {
    const g = gitops();
    expect(ArgoCdSyncWaves.isEnabled(g.app('dev'))).toBe(true);
    expect(ArgoCdSyncWaves.isEnabled(gitops({ syncWaves: false }).app('dev'))).toBe(false);
  });

  test('synth writes every folder the Applications name', () => {
    const outdir = tmp();
    const g = gitops({ outdir, argoCd: { repoUrl: REPO, path: 'deploy/shop' } });
    g.synth();
    const read = (dir: string) => fs.readdirSync(path.join(outdir, dir)).filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, dir, f), 'utf8')).map((d) => d.toJSON()));
    const apps = read('argocd/applications');
    expect(apps.map((a) => a.metadata.name)).toEqual(['shop-dev', 'shop-prod']);
    for (const a of apps) {
      const dir = path.relative('deploy/shop', a.spec.source.path);
      expect(read(dir).length).toBeGreaterThan(0);
    }
    expect(g.applicationPaths).toEqual({ 'shop-dev': 'deploy/shop/dev', 'shop-prod': 'deploy/shop/prod' });
    expect(read('argocd/root').map((o) => `${o.kind}/${o.metadata.name}`)).toMatchSnapshot();
    expect(apps).toMatchSnapshot();
  });

  test('the repository path defaults to a relative outdir; "." commits it at the repository root', () => {
    expect(gitops({ outdir: './out/shop/' }).repoPath).toBe('out/shop');
    const root = gitops({ argoCd: { repoUrl: REPO, path: '.' } });
    expect(application(root, 'shop-dev').spec.source.path).toBe('dev');
    expect(application(root, 'shop').spec.source.path).toBe('argocd/applications');
  });

  test('output is deterministic', () => {
    expect(objectsOf(gitops().applicationsApp)).toEqual(objectsOf(gitops().applicationsApp));
  });
});

describe('GitOpsEnvironments validation', () => {
  test('duplicate environment names', () => {
    expect(() => gitops({ environments: [new Environment({ name: 'dev' }), new Environment({ name: 'dev' })] })).toThrow(/environments names "dev" twice/);
  });
  test('an environment named like the Argo CD folder', () => {
    expect(() => gitops({ environments: [new Environment({ name: 'argocd' })] })).toThrow(/"argocd", the folder of the Argo CD objects/);
  });
  test('an environment name that is not a DNS label', () => {
    expect(() => new Environment({ name: 'Prod_EU' })).toThrow(/Environment "Prod_EU": name must be a DNS label.*"prod-eu"/);
  });
  test('an environment that renders no object: the Application names the folder, not "<app>"', () => {
    const g = gitops({ builder: { buildEnvironment: () => undefined } });
    expect(() => g.applicationsApp.charts[0].toJson()).toThrow(/applications\/shop-dev: destination.namespace is not set and no object of the App writing "out\/shop\/dev" names a namespace \(it renders no object\)\. Fix: /);
  });
  test('no environments', () => {
    expect(() => gitops({ environments: [] })).toThrow(/environments is empty/);
  });
  test('builder and meshBuilder: exactly one', () => {
    expect(() => gitops({ builder: undefined })).toThrow(/builder and meshBuilder are both missing/);
    expect(() => gitops({ meshBuilder: { buildMesh: () => { throw new Error('unused'); } } })).toThrow(/builder and meshBuilder are both set/);
  });
  test.each([
    ['http://github.com/acme/deploy.git', /argoCd.repoUrl must be the https:\/\/, ssh:\/\/ or git@host:path URL.*"http:\/\/github.com/],
    ['github.com/acme/deploy', /argoCd.repoUrl must be/],
    ['https://user:secret@github.com/acme/deploy.git', /argoCd.repoUrl must be .*without a password/],
    ['https://github.com/acme/deploy .git', /argoCd.repoUrl must be/],
  ])('a bad repository URL: %s', (repoUrl, message) => {
    expect(() => gitops({ argoCd: { repoUrl } })).toThrow(message);
  });
  test.each(['ssh://git@github.com/acme/deploy.git', 'git@github.com:acme/deploy.git', 'https://gitlab.example.com/group/sub/deploy'])('a good repository URL: %s', (repoUrl) => {
    expect(application(gitops({ argoCd: { repoUrl } }), 'shop-dev').spec.source.repoURL).toBe(repoUrl);
  });
  test.each(['feature branch', 'main..next', 'refs/heads/x.lock', '-main', 'a:b', 'main/', ''])('a bad target revision: %j', (targetRevision) => {
    expect(() => gitops({ argoCd: { repoUrl: REPO, targetRevision } })).toThrow(/argoCd.targetRevision must be a Git branch, tag or commit/);
  });
  test.each(['../deploy', '/deploy', 'deploy//shop', 'deploy/*'])('a bad repository path: %s', (p) => {
    expect(() => gitops({ argoCd: { repoUrl: REPO, path: p } })).toThrow(/argoCd.path must be a relative folder path/);
  });
  test('an absolute outdir needs the repository path', () => {
    expect(() => gitops({ outdir: '/tmp/shop' })).toThrow(/argoCd.path is not set and outdir "\/tmp\/shop" is absolute/);
  });
  test('an app name that is not a DNS label', () => {
    expect(() => gitops({ name: 'Shop' })).toThrow(/GitOpsEnvironments "Shop": name must be a DNS label/);
  });
  test('an Application name over 63 characters', () => {
    expect(() => gitops({ name: 'a'.repeat(60) })).toThrow(/name is 64 characters long.*app.kubernetes.io\/instance/);
  });
  test('prune or selfHeal without automated sync', () => {
    const environments = [new Environment({ name: 'prod', syncPolicy: { automated: false, selfHeal: true } })];
    expect(() => gitops({ environments })).toThrow(/syncPolicy sets selfHeal with automated: false/);
  });
  test('a retry limit out of range', () => {
    expect(() => gitops({ argoCd: { repoUrl: REPO, syncPolicy: { retryLimit: -1 } } })).toThrow(/syncPolicy.retryLimit must be an integer from 0 to 100, got -1/);
  });
  test('two environments applying one object to one cluster', () => {
    class SameNamespace extends ShopBuilder {
      public buildEnvironment(app: App, env: ShopEnvironment): void {
        new ApiObject(new Chart(app, 'shared', { namespace: 'shop' }), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
        super.buildEnvironment(app, env);
      }
    }
    const environments = [new ShopEnvironment({ name: 'dev', replicas: 1 }), new ShopEnvironment({ name: 'qa', replicas: 1 })];
    expect(() => gitops({ environments, builder: new SameNamespace(), outdir: tmp(), argoCd: { repoUrl: REPO, path: 'shop' } }).synth())
      .toThrow(/environments apply ConfigMap shop\/settings to the cluster "https:\/\/kubernetes.default.svc" from two Applications, "shop-dev" and "shop-qa".*own namespaces/);
    // the same object in two clusters is two objects
    const apart = [new ShopEnvironment({ name: 'dev', replicas: 1 }), new ShopEnvironment({ name: 'qa', replicas: 1, destination: ArgoCdDestination.toCluster('qa') })];
    expect(() => gitops({ environments: apart, builder: new SameNamespace(), outdir: tmp(), argoCd: { repoUrl: REPO, path: 'shop' } }).synth()).not.toThrow();
  });

  test('an environment that is not single-cluster', () => {
    expect(() => gitops().app('qa')).toThrow(/"qa" is not a single-cluster environment/);
  });
  test('a namespaced object without a namespace and a destination without one', () => {
    const g = gitops();
    const bare = new Chart(g.app('dev'), 'unnamespaced');
    new ApiObject(bare, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    expect(() => objectsOf(g.rootApp)).toThrow(/metadata.namespace is not set and the destination "https:\/\/kubernetes.default.svc" has none/);
  });
});

describe('ArgoCdDestination', () => {
  test('server, cluster name and namespace', () => {
    expect(ArgoCdDestination.toServer('https://10.0.0.1:6443', 'shop')).toMatchObject({ server: 'https://10.0.0.1:6443', namespace: 'shop', clusterName: undefined });
    expect(ArgoCdDestination.toCluster('prod-eu')).toMatchObject({ clusterName: 'prod-eu', server: undefined });
    expect(ArgoCdDestination.inCluster().server).toBe(ArgoCdDestination.IN_CLUSTER_SERVER);
  });
  test.each(['http://10.0.0.1:6443', 'https://u:p@10.0.0.1', 'kubernetes.default.svc'])('a bad server URL: %s', (url) => {
    expect(() => ArgoCdDestination.toServer(url)).toThrow(/ArgoCdDestination.toServer: url must be the https:\/\/ URL of a Kubernetes API server/);
  });
  test('a bad cluster name and namespace', () => {
    expect(() => ArgoCdDestination.toCluster('prod eu')).toThrow(/toCluster: name must be the name of a cluster registered in Argo CD/);
    expect(() => ArgoCdDestination.inCluster('Shop')).toThrow(/namespace must be a DNS label/);
  });
});

test('every rendered Argo CD object is schema-valid (@kubernetes-models/argo-cd)', () => {
  expect(schemas.size).toBeGreaterThan(5);
  expect(schemas.problems()).toEqual([]);
});
