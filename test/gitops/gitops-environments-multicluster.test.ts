import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import {
  ArgoCdDestination, ArgoCdObjects, Environment, GitOpsEnvironments, IMultiClusterEnvironmentBuilder, MeshCluster, MultiClusterMesh,
} from '../../src';
import { generated } from '../support/application-set';

const REPO = 'https://github.com/acme/deploy.git';

/** dev runs in one cluster, prod in two: the builder decides per environment. */
class MeshBuilder implements IMultiClusterEnvironmentBuilder {
  public constructor(private readonly wrongOutdir = false) {}
  public buildMesh(env: Environment, outdir: string): MultiClusterMesh {
    const names = env.name === 'prod' ? ['east', 'west'] : ['east'];
    const mesh = new MultiClusterMesh({
      outdir: this.wrongOutdir ? path.join(outdir, 'x') : outdir,
      clusters: names.map((n) => new MeshCluster({ name: n, network: `net-${n}`, meshId: `mesh-${env.name}` })),
    });
    for (const n of names) {
      new ApiObject(mesh.meshChart(n), 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' } });
    }
    return mesh;
  }
}

const envs = (): Environment[] => [
  new Environment({ name: 'dev', clusterDestinations: { east: ArgoCdDestination.toServer('https://dev.example.com:6443') } }),
  new Environment({ name: 'prod' }),
];

function gitops(outdir = 'out/shop', meshBuilder = new MeshBuilder(), environments = envs(), objects?: ArgoCdObjects): GitOpsEnvironments {
  return new GitOpsEnvironments({ name: 'shop', outdir, environments, meshBuilder, argoCd: { repoUrl: REPO, path: 'shop', objects } });
}
const applications = (g: GitOpsEnvironments): any[] => g.applicationsApp.charts[0].toJson();

test('one folder per environment and cluster: <outdir>/<env>/<cluster>/', () => {
  const g = gitops();
  expect(g.apps.map((a) => a.outdir)).toEqual(['dev/east', 'prod/east', 'prod/west', 'argocd/applications', 'argocd/root'].map((d) => path.join('out/shop', d)));
  expect(g.mesh('prod').clusters.map((c) => c.name)).toEqual(['east', 'west']);
  expect(() => g.app('prod')).toThrow(/"prod" is not a single-cluster environment.*mesh\(\)/);
});

test('an Application per environment and cluster, to the cluster Argo CD knows by the cluster name unless the environment says otherwise', () => {
  const apps = applications(gitops());
  expect(apps.map((a) => [a.metadata.name, a.spec.source.path, a.spec.destination])).toEqual([
    ['shop-dev-east', 'shop/dev/east', { server: 'https://dev.example.com:6443', namespace: 'shop' }],
    ['shop-prod-east', 'shop/prod/east', { name: 'east', namespace: 'istio-system' }],
    ['shop-prod-west', 'shop/prod/west', { name: 'west', namespace: 'istio-system' }],
  ]);
  expect(apps.map((a) => a.spec.project)).toEqual(['shop-dev', 'shop-prod', 'shop-prod']);
});

test('as an ApplicationSet: an element per environment and cluster, a server URL or a cluster name as each destination, generating the same Applications', () => {
  const [set] = applications(gitops(undefined, undefined, undefined, ArgoCdObjects.APPLICATION_SET));
  const elements = set.spec.generators[0].list.elements;
  expect(elements.map((e: any) => [e.name, e.path, e.project, e.destination])).toEqual([
    ['shop-dev-east', 'shop/dev/east', 'shop-dev', { server: 'https://dev.example.com:6443', namespace: 'shop' }],
    ['shop-prod-east', 'shop/prod/east', 'shop-prod', { name: 'east', namespace: 'istio-system' }],
    ['shop-prod-west', 'shop/prod/west', 'shop-prod', { name: 'west', namespace: 'istio-system' }],
  ]);
  expect(elements.map((e: any) => generated(set.spec, e))).toEqual(applications(gitops()));
  expect(set).toMatchSnapshot();
});

test('from Git: a config file per cluster of the environment, under its one AppProject, generating the same Applications', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-mc-git-'));
  const g = gitops(outdir, undefined, [envs()[1]], ArgoCdObjects.APPLICATION_SET_GIT);
  g.synth();
  const [set] = applications(g);
  expect(set.spec.generators).toEqual([{ git: { repoURL: REPO, revision: 'HEAD', files: [{ path: 'shop/argocd/environments/*.json' }] } }]);
  expect(set.spec.template.spec.project).toBe('shop-prod');
  const dir = path.join(outdir, 'argocd', 'environments');
  const files = fs.readdirSync(dir).sort();
  expect(files).toEqual(['shop-prod-east.json', 'shop-prod-west.json']);
  const configs = files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
  expect(configs.map((c) => [c.name, c.sourcePath, c.destination])).toEqual([
    ['shop-prod-east', 'shop/prod/east', { name: 'east', namespace: 'istio-system' }],
    ['shop-prod-west', 'shop/prod/west', { name: 'west', namespace: 'istio-system' }],
  ]);
  expect(configs.map((c) => generated(set.spec, c))).toEqual(applications(gitops(undefined, undefined, [envs()[1]])));
});

test('one AppProject per environment, covering each of its clusters', () => {
  const prod = gitops().rootApp.charts[0].toJson().find((o: any) => o.kind === 'AppProject' && o.metadata.name === 'shop-prod');
  expect(prod.spec.destinations).toEqual([
    { name: 'east', namespace: 'istio-system' }, { name: 'east', namespace: 'shop' },
    { name: 'west', namespace: 'istio-system' }, { name: 'west', namespace: 'shop' },
  ]);
  expect(prod.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
});

test('synth writes every cluster folder an Application names', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-mc-'));
  const g = gitops(outdir);
  g.synth();
  for (const p of Object.values(g.applicationPaths)) {
    const dir = path.join(outdir, path.relative('shop', p));
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).length).toBeGreaterThan(0);
  }
  expect(fs.readdirSync(path.join(outdir, 'prod', 'west'))).toContain(MultiClusterMesh.ISTIO_VALUES_FILE);
  expect(applications(g)).toMatchSnapshot();
});

test('a mesh that does not write where the environment\'s folder is', () => {
  expect(() => gitops('out/shop', new MeshBuilder(true))).toThrow(/meshBuilder \(environment "dev"\) returned a mesh writing to "out\/shop\/dev\/x".*outdir passed to buildMesh/);
});

test('a cluster destination for a cluster the mesh does not have', () => {
  const environments = [new Environment({ name: 'dev', clusterDestinations: { north: ArgoCdDestination.toCluster('north') } })];
  expect(() => gitops('out/shop', new MeshBuilder(), environments)).toThrow(/Environment "dev": clusterDestinations names "north", which is not a cluster of its mesh/);
});
