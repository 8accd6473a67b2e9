import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { createGitOps } from '../../examples/environments/main';
import { argoCdCrdsDir, sharedDir, validateTargetDirs, writeTargetManifest } from '../../scripts/target-crds';
import { ArgoCdApplication, ArgoCdApplicationSet, ArgoCdDestination, ArgoCdObjects, GitOpsEnvironments } from '../../src';
import { generated } from '../support/application-set';
import { validateSchemas } from '../support/schema';

const REPO = 'https://github.com/acme/bookinfo-deploy.git';
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'appset-'));

function objects(dir: string): any[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON()));
}

/** The example rendered both ways. */
function render(objectsMode: ArgoCdObjects): { gitops: GitOpsEnvironments; applications: any[]; root: any[] } {
  const outdir = tmp();
  const gitops = createGitOps(outdir, objectsMode);
  gitops.synth();
  return { gitops, applications: objects(path.join(outdir, 'argocd', 'applications')), root: objects(path.join(outdir, 'argocd', 'root')) };
}
const asApps = render(ArgoCdObjects.APPLICATIONS);
const asSet = render(ArgoCdObjects.APPLICATION_SET);
const set = asSet.applications[0];

/** The `{{ ... }}` actions of the template and the patch. */
function actions(s: any): string[] {
  return [...JSON.stringify(s.template).matchAll(/\{\{[^}]*\}\}/g), ...(s.templatePatch ?? '').matchAll(/\{\{[^}]*\}\}/g)].map((m) => m[0]);
}

test('one ApplicationSet in argocd/applications/, Go templates failing on a missing key, and the app-of-apps root applying it', () => {
  expect(asSet.applications.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ApplicationSet/bookinfo']);
  expect(set.metadata.namespace).toBe('argocd');
  expect(set.spec.goTemplate).toBe(true);
  expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
  const rootApp = asSet.root.find((o) => o.kind === 'Application');
  expect(rootApp.spec.source.path).toBe('deploy/bookinfo/argocd/applications');
  const rootProject = asSet.root.find((o) => o.kind === 'AppProject' && o.metadata.name === 'bookinfo');
  expect(rootProject.spec.namespaceResourceWhitelist).toEqual([{ group: 'argoproj.io', kind: 'ApplicationSet' }]);
  // the environments' AppProjects are the same either way
  expect(asSet.root.filter((o) => o.metadata.name !== 'bookinfo')).toEqual(asApps.root.filter((o) => o.metadata.name !== 'bookinfo'));
});

test('removing an element leaves the cluster alone: no resources finalizer, and the Applications kept where the controller allows the override', () => {
  expect(set.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true, applicationsSync: 'create-update' });
});

test('one element per environment, carrying exactly what differs: name, path, project, destination, ignore rules and sync policy', () => {
  const elements = set.spec.generators[0].list.elements;
  expect(elements.map((e: any) => e.name)).toEqual(['bookinfo-dev', 'bookinfo-staging', 'bookinfo-prod']);
  for (const e of elements) expect(Object.keys(e).sort()).toEqual(['destination', 'ignoreDifferences', 'name', 'path', 'project', 'syncPolicy']);
  // the source but its path is the same for all: literal in the template
  expect(set.spec.template.spec.source).toEqual({ repoURL: REPO, targetRevision: 'main', path: '{{ .path }}', directory: { include: '*.yaml' } });
});

test('the template uses only keys every element has, as `{{ .key }}` or a patch field `{{ toJson .key }}`', () => {
  const keys = new Set(Object.keys(set.spec.generators[0].list.elements[0]));
  for (const a of actions(set.spec)) {
    const m = a.match(/^\{\{ (?:toJson )?\.(\w+) \}\}$/);
    expect(m && keys.has(m[1])).toBe(true);
  }
  for (const line of set.spec.templatePatch.split('\n').filter((l: string) => l && l !== 'spec:')) expect(line).toMatch(/^ {2}(\w+): \{\{ toJson \.\1 \}\}$/);
  for (const e of set.spec.generators[0].list.elements) expect(new Set(Object.keys(e))).toEqual(keys);
});

test('the Applications the set generates are those the Applications mode renders', () => {
  const elements = set.spec.generators[0].list.elements;
  expect(elements.map((e: any) => generated(set.spec, e))).toEqual(asApps.applications);
});

test('what is the same for every Application is literal in the template, and no patch is needed when nothing object-valued differs', () => {
  const app = new App({ outdir: tmp() });
  const chart = new Chart(new App(), 'apps');
  const apps = ['a', 'b'].map((n) => new ArgoCdApplication(chart, `shop-${n}`, {
    repoUrl: REPO, path: `deploy/${n}`, project: 'shop', destination: ArgoCdDestination.inCluster('shop'),
  }));
  const s = new ArgoCdApplicationSet(new Chart(app, 'set'), 'shop', { applications: apps });
  const spec = Testing.synth(s.apiObject.chart)[0].spec;
  expect(spec.generators[0].list.elements).toEqual([{ name: 'shop-a', path: 'deploy/a' }, { name: 'shop-b', path: 'deploy/b' }]);
  expect(spec.templatePatch).toBeUndefined();
  expect(spec.template.spec.project).toBe('shop');
  expect(spec.template.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'shop' });
  expect(spec.generators[0].list.elements.map((e: any) => generated(spec, e))).toEqual(apps.map((a) => Testing.synth(chart)[apps.indexOf(a)]));
  expect(spec).toMatchSnapshot();
});

test('the example as an ApplicationSet', () => {
  expect(asSet.applications).toMatchSnapshot();
});

test('a set of no Applications, of Applications in another namespace or from several sources is refused', () => {
  const chart = new Chart(new App(), 'apps');
  const mk = (id: string, extra: any = {}) => new ArgoCdApplication(chart, id, { repoUrl: REPO, path: id, project: 'p', destination: ArgoCdDestination.inCluster('shop'), ...extra });
  const at = () => new Chart(Testing.app(), 'set');
  expect(() => new ArgoCdApplicationSet(at(), 'none', { applications: [] })).toThrow(/none: applications is empty.*pass the Applications/);
  expect(() => new ArgoCdApplicationSet(at(), 'ns', { applications: [mk('a'), mk('b', { namespace: 'apps' })] }))
    .toThrow(/ns: applications has "b" in namespace "apps", not the set's "argocd"/);
  expect(() => new ArgoCdApplicationSet(at(), 'src', { applications: [mk('c'), mk('d', { targetRevision: 'v2' })] }))
    .toThrow(/src: applications mixes sources: "d" reads .*@v2.*one ApplicationSet per repository and revision/);
});

test('synth twice gives the same ApplicationSet', () => {
  expect(render(ArgoCdObjects.APPLICATION_SET).applications).toEqual(asSet.applications);
});

test('the ApplicationSet and the root objects validate against @kubernetes-models/argo-cd', () => {
  const report = validateSchemas([...asSet.applications, ...asSet.root]);
  expect(report.invalid).toEqual([]);
  expect(report.checked).toBe(1 + 1 + 1 + 3);
});

// kube-validate needs ../shared (the tool) and the pinned Argo CD CRDs (scripts/fetch-argo-cd-crds.sh; CI runs it).
const shared = sharedDir();
(shared && argoCdCrdsDir() ? test : test.skip)('the ApplicationSet validates with kube-validate against the pinned Argo CD CRDs', () => {
  for (const app of asSet.gitops.apps) writeTargetManifest(app, app.outdir);
  const r = validateTargetDirs([asSet.gitops.applicationsApp.outdir, asSet.gitops.rootApp.outdir], shared!);
  expect(r.problems).toEqual([]);
  expect(r.objects).toBe(1 + 5);
});
