// `npm run synth`: synthesizes every example app into dist/<example>/, one YAML file per chart,
// for the default target. Each examples/<name>/main.ts exports `createApp(outdir, target?)`; the
// app runs the synth-time analysis, a Mermaid diagram of each chart's traffic is written beside
// its YAML, and target.json records the target and each file's mesh for the CRD validation.
// `npm run synth:targets` (`--targets`) renders the reference app for every supported target into
// dist-targets/bookinfo/<target>/ instead.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { writeDiagrams } from '../src/diagram';
import { GitOpsEnvironments } from '../src/gitops';
import { MultiClusterMesh } from '../src/multicluster';
import { MeshTarget } from '../src/target/mesh-target';
import { allTargets, writeTargetManifest } from './target-crds';

/**
 * An example: one App (`createApp`), or several written to subfolders of its outdir by one
 * `synth()` (`createMesh`, a multi-cluster mesh: one App per cluster in `<outdir>/<cluster>/`;
 * `createGitOps`, environments: one App per environment in `<outdir>/<env>/` and the Argo CD
 * objects in `<outdir>/argocd/`).
 */
interface ExampleModule {
  createApp?(outdir: string, target?: MeshTarget): App;
  createMesh?(outdir: string): MultiClusterMesh;
  createGitOps?(outdir: string): GitOpsEnvironments;
}

const root = path.resolve(__dirname, '..', '..');
const compiledExamples = path.resolve(__dirname, '..', 'examples');
const args = process.argv.slice(2);
const targets = args.includes('--targets');
const only = args.filter((a) => !a.startsWith('--'));

function load(name: string): ExampleModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(compiledExamples, name, 'main.js')) as ExampleModule;
}

function yamlFiles(dir: string): number {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).length;
}

function synth(example: ExampleModule, outdir: string, target?: MeshTarget): number {
  fs.rmSync(outdir, { recursive: true, force: true });
  if (example.createGitOps) {
    if (target) throw new Error('synth: an environments example renders for the default target only');
    const gitops = example.createGitOps(outdir);
    gitops.synth();
    for (const app of gitops.apps) {
      writeTargetManifest(app, app.outdir);
      writeDiagrams(app, app.outdir);
    }
    return gitops.apps.reduce((n, app) => n + yamlFiles(app.outdir), 0);
  }
  if (example.createMesh) {
    if (target) throw new Error('synth: a multi-cluster example renders for the default target only');
    const mesh = example.createMesh(outdir);
    mesh.synth();
    const apps = mesh.clusters.map((c) => mesh.app(c.name));
    for (const app of apps) {
      writeTargetManifest(app, app.outdir);
      writeDiagrams(app, app.outdir);
    }
    fs.writeFileSync(path.join(outdir, 'clusters.mmd'), mesh.diagram());
    return apps.reduce((n, app) => n + yamlFiles(app.outdir), 0);
  }
  const app = example.createApp!(outdir, target);
  app.synth();
  writeTargetManifest(app, outdir);
  if (!target) writeDiagrams(app, outdir);
  return yamlFiles(outdir);
}

if (targets) {
  const started = process.hrtime.bigint();
  const base = path.join(root, 'dist-targets', 'bookinfo');
  fs.rmSync(base, { recursive: true, force: true });
  const bookinfo = load('bookinfo');
  const all = allTargets();
  for (const target of all) synth(bookinfo, path.join(base, target.id), target);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`synth: bookinfo for ${all.length} targets in ${path.relative(root, base)}/ (${ms.toFixed(0)} ms)`);
  process.exit(0);
}

const names = fs.readdirSync(compiledExamples)
  .filter((n) => fs.existsSync(path.join(compiledExamples, n, 'main.js')))
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();
if (names.length === 0) {
  console.error(`synth: no examples found under ${compiledExamples}; run npm run build first`);
  process.exit(1);
}
for (const name of names) {
  const started = process.hrtime.bigint();
  const outdir = path.join(root, 'dist', name);
  const files = synth(load(name), outdir);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`synth: ${name}: ${files} files in ${path.relative(root, outdir)}/ (${ms.toFixed(0)} ms)`);
}
