import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { createGitOps, environments, REPO_URL } from '../../examples/environments/main';
import { BookinfoBuilder } from '../../examples/environments/bookinfo-environment';
import { argoCdCrdsDir, sharedDir, validateTargetDirs, writeTargetManifest } from '../../scripts/target-crds';
import { ArgoCdApplication, ArgoCdApplicationSet, ArgoCdDestination, ArgoCdObjects, GitOpsEnvironments } from '../../src';
import { generated } from '../support/application-set';
import { validateSchemas } from '../support/schema';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'appset-git-'));
const PROJECT = 'bookinfo-envs';
const CONFIG_DIR = 'deploy/bookinfo/argocd/environments';

function objects(dir: string): any[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON()));
}

/** The example with one AppProject for every environment, rendered as Applications or from Git. */
function render(mode: ArgoCdObjects) {
  const outdir = tmp();
  const gitops = createGitOps(outdir, mode, PROJECT);
  gitops.synth();
  const configDir = path.join(outdir, 'argocd', 'environments');
  const files = fs.existsSync(configDir) ? Object.fromEntries(fs.readdirSync(configDir).map((f) => [f, fs.readFileSync(path.join(configDir, f), 'utf8')])) : {};
  return { outdir, gitops, applications: objects(path.join(outdir, 'argocd', 'applications')), root: objects(path.join(outdir, 'argocd', 'root')), files };
}
const asApps = render(ArgoCdObjects.APPLICATIONS);
const fromGit = render(ArgoCdObjects.APPLICATION_SET_GIT);
const set = fromGit.applications[0];

/**
 * The parameters Argo CD's Git files generator (applicationset/generators/git.go,
 * generateParamsFromGitFile with goTemplate) makes of a file: its object as is, and `path` set to
 * the file's folder, name and segments, replacing any `path` key of the file.
 */
function params(repoFile: string, content: string): any {
  const dir = path.posix.dirname(repoFile);
  return { ...JSON.parse(content), path: { path: dir, basename: path.posix.basename(dir), filename: path.posix.basename(repoFile), segments: dir.split('/') } };
}

test('one ApplicationSet whose Git files generator reads argocd/environments/*.json from the Applications\' repository and revision', () => {
  expect(fromGit.applications.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ApplicationSet/bookinfo']);
  expect(set.spec.generators).toEqual([{ git: { repoURL: REPO_URL, revision: 'main', files: [{ path: `${CONFIG_DIR}/*.json` }] } }]);
  expect(set.spec.goTemplate).toBe(true);
  expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
  expect(set.spec.template.metadata.name).toBe('{{ .name }}');
  expect(set.spec.template.spec.source).toEqual({ repoURL: REPO_URL, targetRevision: 'main', path: '{{ .sourcePath }}', directory: { include: '*.yaml' } });
  expect(set.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true, applicationsSync: 'create-update' });
  const rootProject = fromGit.root.find((o) => o.kind === 'AppProject' && o.metadata.name === 'bookinfo');
  expect(rootProject).toBeUndefined(); // argoCd.project names an existing project for the root too
  expect(fromGit.root.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Application/bookinfo']);
});

test('the project is literal in the template, never read from Git', () => {
  expect(set.spec.template.spec.project).toBe(PROJECT);
  expect(JSON.stringify(set.spec.template) + (set.spec.templatePatch ?? '')).not.toMatch(/\.project\b/);
  for (const content of Object.values(fromGit.files)) expect(Object.keys(JSON.parse(content))).not.toContain('project');
});

test('one config file per Application, named after it, with its name, folder and what differs: destination, ignore rules and sync policy', () => {
  expect(Object.keys(fromGit.files).sort()).toEqual(['bookinfo-dev.json', 'bookinfo-prod.json', 'bookinfo-staging.json']);
  for (const [file, content] of Object.entries(fromGit.files)) {
    const c = JSON.parse(content);
    expect(file).toBe(`${c.name}.json`);
    expect(Object.keys(c).sort()).toEqual(['destination', 'ignoreDifferences', 'name', 'sourcePath', 'syncPolicy']);
    expect(c.sourcePath).toBe(`deploy/bookinfo/${c.name.replace(/^bookinfo-/, '')}`);
  }
  expect(JSON.parse(fromGit.files['bookinfo-prod.json']).destination).toEqual({ name: 'prod', namespace: 'bookinfo' });
  expect(set.spec.templatePatch).toBe('spec:\n  destination: {{ toJson .destination }}\n  ignoreDifferences: {{ toJson .ignoreDifferences }}\n  syncPolicy: {{ toJson .syncPolicy }}\n');
});

test('the Applications generated from the config files are those the Applications mode renders', () => {
  // the generator's order: the matching files sorted by path
  const repoFiles = Object.keys(fromGit.files).map((f) => `${CONFIG_DIR}/${f}`).sort();
  const apps = repoFiles.map((f) => generated(set.spec, params(f, fromGit.files[path.posix.basename(f)])));
  const byName = (a: any, b: any) => a.metadata.name.localeCompare(b.metadata.name);
  expect(apps.sort(byName)).toEqual([...asApps.applications].sort(byName));
  expect(apps).toHaveLength(3);
});

test('the template uses only keys every config file has', () => {
  const keys = Object.values(fromGit.files).map((c) => new Set(Object.keys(JSON.parse(c))));
  const used = [...JSON.stringify(set.spec.template).matchAll(/\{\{ (?:toJson )?\.(\w+) \}\}/g), ...set.spec.templatePatch.matchAll(/\{\{ (?:toJson )?\.(\w+) \}\}/g)].map((m) => m[1]);
  expect(new Set(used)).toEqual(new Set(['name', 'sourcePath', 'destination', 'ignoreDifferences', 'syncPolicy']));
  for (const k of keys) for (const u of used) expect(k.has(u)).toBe(true);
});

test('no Application applies the config files: they are outside every applied folder, and Applications read only *.yaml', () => {
  const sources = [...asApps.applications, ...fromGit.root.filter((o) => o.kind === 'Application')].map((a) => a.spec.source);
  for (const s of sources) {
    // an Application reads its own folder only (no directory.recurse), so only one at CONFIG_DIR would read the files
    expect(s.path).not.toBe(CONFIG_DIR);
    expect(s.directory).toEqual({ include: '*.yaml' });
  }
});

test('synth() removes a config file left from an environment no longer in the code, and only .json files', () => {
  const dir = path.join(fromGit.outdir, 'argocd', 'environments');
  fs.writeFileSync(path.join(dir, 'bookinfo-old.json'), '{"name": "bookinfo-old"}');
  fs.writeFileSync(path.join(dir, 'README.md'), 'kept');
  fromGit.gitops.synth();
  expect(fs.readdirSync(dir).sort()).toEqual(['README.md', 'bookinfo-dev.json', 'bookinfo-prod.json', 'bookinfo-staging.json']);
  fs.unlinkSync(path.join(dir, 'README.md'));
});

test('synth twice gives the same ApplicationSet and config files', () => {
  const again = render(ArgoCdObjects.APPLICATION_SET_GIT);
  expect(again.applications).toEqual(fromGit.applications);
  expect(again.files).toEqual(fromGit.files);
});

test('the example from Git', () => {
  expect({ applicationSet: set, files: fromGit.files }).toMatchSnapshot();
});

test('environments with an AppProject each are refused from Git, naming the prop, the reason and the fix', () => {
  expect(() => createGitOps(tmp(), ArgoCdObjects.APPLICATION_SET_GIT))
    .toThrow(/GitOpsEnvironments "bookinfo": argoCd.objects is ArgoCdObjects.APPLICATION_SET_GIT, which needs one AppProject for every environment, but argoCd.project is not set, so each of the 3 environments .* gets its own; .*a project read from Git lets anyone who can push .*Security.md.*Fix: set argoCd.project to one AppProject.*or use ArgoCdObjects.APPLICATION_SET \(list generator\)/);
});

test('a single environment keeps its own AppProject from Git, literal in the template', () => {
  const outdir = tmp();
  const gitops = new GitOpsEnvironments({
    name: 'bookinfo', outdir, environments: [environments()[0]], builder: new BookinfoBuilder(),
    argoCd: { repoUrl: REPO_URL, path: 'deploy/bookinfo', objects: ArgoCdObjects.APPLICATION_SET_GIT },
  });
  gitops.synth();
  const s = objects(path.join(outdir, 'argocd', 'applications'))[0];
  expect(s.spec.template.spec.project).toBe('bookinfo-dev');
  expect(fs.readdirSync(path.join(outdir, 'argocd', 'environments'))).toEqual(['bookinfo-dev.json']);
  expect(objects(path.join(outdir, 'argocd', 'root')).filter((o) => o.kind === 'AppProject').map((o) => o.metadata.name)).toEqual(['bookinfo', 'bookinfo-dev']);
});

test('ArgoCdApplicationSet refuses Applications of several AppProjects with a Git files generator, and a bad gitFilesPath', () => {
  const chart = new Chart(new App(), 'apps');
  const mk = (id: string, project: string) => new ArgoCdApplication(chart, id, { repoUrl: REPO_URL, path: id, project, destination: ArgoCdDestination.inCluster('shop') });
  const [a, b] = [mk('a', 'p1'), mk('b', 'p2')];
  const at = () => new Chart(Testing.app(), 'set');
  expect(() => new ArgoCdApplicationSet(at(), 'mixed', { applications: [a, b], gitFilesPath: 'deploy/config' }))
    .toThrow(/set\/mixed: applications mixes AppProjects with a Git files generator: "b" is in "p2", "a" in "p1"; .*Templated project field.*Fix: put every Application in one AppProject, or leave gitFilesPath unset/);
  // the list generator carries a project per element
  expect(() => new ArgoCdApplicationSet(at(), 'list', { applications: [a, b] })).not.toThrow();
  expect(() => new ArgoCdApplicationSet(at(), 'bad', { applications: [a], gitFilesPath: '../config' })).toThrow(/set\/bad: gitFilesPath must be a relative folder path/);
});

test('ArgoCdApplicationSet without gitFilesPath writes no config files; with it, the files name each Application', () => {
  const chart = new Chart(new App(), 'apps');
  const apps = ['a', 'b'].map((n) => new ArgoCdApplication(chart, `shop-${n}`, { repoUrl: REPO_URL, path: `deploy/${n}`, project: 'shop', destination: ArgoCdDestination.inCluster('shop') }));
  expect(new ArgoCdApplicationSet(new Chart(Testing.app(), 'l'), 'shop', { applications: apps }).configFiles()).toEqual({});
  const s = new ArgoCdApplicationSet(new Chart(Testing.app(), 'g'), 'shop', { applications: apps, gitFilesPath: 'deploy/config' });
  expect(Object.fromEntries(Object.entries(s.configFiles()).map(([f, c]) => [f, JSON.parse(c)])))
    .toEqual({ 'shop-a.json': { name: 'shop-a', sourcePath: 'deploy/a' }, 'shop-b.json': { name: 'shop-b', sourcePath: 'deploy/b' } });
  const spec = Testing.synth(s.apiObject.chart)[0].spec;
  expect(spec.generators[0].git.files).toEqual([{ path: 'deploy/config/*.json' }]);
  expect(spec.templatePatch).toBeUndefined();
  expect(spec.template.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'shop' });
});

test('the ApplicationSet validates against @kubernetes-models/argo-cd', () => {
  const report = validateSchemas([...fromGit.applications, ...fromGit.root]);
  expect(report.invalid).toEqual([]);
  expect(report.checked).toBe(2);
});

// kube-validate needs ../shared (the tool) and the pinned Argo CD CRDs (scripts/fetch-argo-cd-crds.sh; CI runs it).
const shared = sharedDir();
(shared && argoCdCrdsDir() ? test : test.skip)('the ApplicationSet validates with kube-validate against the pinned Argo CD CRDs', () => {
  for (const app of fromGit.gitops.apps) writeTargetManifest(app, app.outdir);
  const r = validateTargetDirs([fromGit.gitops.applicationsApp.outdir, fromGit.gitops.rootApp.outdir], shared!);
  expect(r.problems).toEqual([]);
  expect(r.objects).toBe(2);
});
