import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { createGitOps, REPO_URL } from '../../examples/environments/main';
import { ArgoCdSyncWaves } from '../../src';
import { writeTargetManifest, sharedDir, validateTargetDirs } from '../../scripts/target-crds';
import { validateSchemas } from '../support/schema';

// The example synthesized once, as `npm run synth` writes it: dist/environments/.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'environments-example-'));
const gitops = createGitOps(outdir);
gitops.synth();
for (const app of gitops.apps) writeTargetManifest(app, app.outdir);

const ENVS = ['dev', 'staging', 'prod'];
function objects(dir: string): any[] {
  return fs.readdirSync(path.join(outdir, dir)).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, dir, f), 'utf8')).map((d) => d.toJSON()));
}
const wave = (o: any): number => Number(o.metadata.annotations[ArgoCdSyncWaves.ANNOTATION]);
const applications = objects('argocd/applications');

test('one folder per environment, and the Argo CD objects', () => {
  expect(fs.readdirSync(outdir).sort()).toEqual(['argocd', 'dev', 'prod', 'staging']);
  expect(fs.readdirSync(path.join(outdir, 'argocd')).sort()).toEqual(['applications', 'root']);
});

test('the environments differ in their typed values: replicas, canary stage and host', () => {
  const of = (env: string) => objects(env);
  const replicas = (env: string) => of(env).find((o) => o.kind === 'Deployment' && o.metadata.name === 'details-v1').spec.replicas;
  expect(ENVS.map(replicas)).toEqual([1, 2, 3]);
  const canaryWeight = (env: string) => of(env).find((o) => o.kind === 'VirtualService' && o.metadata.name === 'reviews')
    .spec.http.at(-1).route.find((r: any) => r.destination.subset === 'v3').weight;
  expect(ENVS.map(canaryWeight)).toEqual([50, 30, 5]);
  const hosts = (env: string) => of(env).find((o) => o.kind === 'Gateway').spec.servers.map((s: any) => s.hosts).flat();
  expect(hosts('dev')).toContain('bookinfo.dev.example.com');
  expect(hosts('prod')).toContain('bookinfo.example.com');
  expect(of('prod').filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.metadata.name)).toEqual(['productpage-v1']);
});

test('in every environment, namespaces come first', () => {
  for (const env of ENVS) {
    const all = objects(env);
    const namespaces = all.filter((o) => o.kind === 'Namespace');
    expect(namespaces).toHaveLength(1);
    for (const o of all.filter((x) => x.kind !== 'Namespace')) expect([env, o.kind, o.metadata.name, wave(o) > wave(namespaces[0])]).toEqual([env, o.kind, o.metadata.name, true]);
  }
});

test('in every environment, each DestinationRule\'s wave is lower than that of every VirtualService routing to its subsets', () => {
  let pairs = 0;
  for (const env of ENVS) {
    const all = objects(env);
    for (const vs of all.filter((o) => o.kind === 'VirtualService')) {
      for (const d of (vs.spec.http ?? []).flatMap((r: any) => (r.route ?? []).map((x: any) => x.destination)).filter((x: any) => x.subset)) {
        const dr = all.find((o) => o.kind === 'DestinationRule' && o.spec.host === d.host && o.spec.subsets.some((s: any) => s.name === d.subset));
        expect([env, vs.metadata.name, d.subset, dr !== undefined]).toEqual([env, vs.metadata.name, d.subset, true]);
        pairs++;
        expect([env, vs.metadata.name, d.subset, wave(dr) < wave(vs)]).toEqual([env, vs.metadata.name, d.subset, true]);
      }
    }
  }
  expect(pairs).toBeGreaterThanOrEqual(ENVS.length * 5);
});

test('the Applications apply the folders that exist, from the repository, one per environment', () => {
  expect(applications.map((a) => a.metadata.name)).toEqual(['bookinfo-dev', 'bookinfo-staging', 'bookinfo-prod']);
  for (const a of applications) {
    expect(a.spec.source.repoURL).toBe(REPO_URL);
    const dir = path.relative('deploy/bookinfo', a.spec.source.path);
    expect(objects(dir).length).toBeGreaterThan(10);
  }
  const root = objects('argocd/root').find((o) => o.kind === 'Application');
  expect(path.relative('deploy/bookinfo', root.spec.source.path)).toBe(path.join('argocd', 'applications'));
});

test('prod is synced by hand and ignores the replicas its HPA owns; dev and staging sync automatically', () => {
  const byName = (n: string) => applications.find((a) => a.metadata.name === n);
  expect(byName('bookinfo-prod').spec.syncPolicy.automated).toBeUndefined();
  expect(byName('bookinfo-prod').spec.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', name: 'productpage-v1', namespace: 'bookinfo', jsonPointers: ['/spec/replicas'] }]);
  for (const n of ['bookinfo-dev', 'bookinfo-staging']) expect(byName(n).spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
});

test('the Argo CD objects', () => {
  expect({ applications, root: objects('argocd/root') }).toMatchSnapshot();
});

test('the Argo CD objects validate against @kubernetes-models/argo-cd', () => {
  const report = validateSchemas([...applications, ...objects('argocd/root')]);
  expect(report.invalid).toEqual([]);
  expect(report.checked).toBe(3 + 1 + 1 + 3); // Applications, root Application, root AppProject, environment AppProjects
});

const shared = sharedDir();
(shared ? test : test.skip)('every folder validates with kube-validate against its CRDs (the Argo CD objects against the pinned Argo CD CRDs when scripts/fetch-argo-cd-crds.sh has cached them, else ../shared/crds/argo-cd)', () => {
  const dirs = gitops.apps.map((a) => a.outdir);
  const r = validateTargetDirs(dirs, shared!);
  expect(r.problems).toEqual([]);
  expect(r.folders).toBe(5);
});
