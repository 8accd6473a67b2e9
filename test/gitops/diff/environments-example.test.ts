import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { BookinfoBuilder, BookinfoEnvironment } from '../../../examples/environments/bookinfo-environment';
import { createGitOps, environments, REPO_URL } from '../../../examples/environments/main';
import { GitOpsEnvironments } from '../../../src/gitops';
import { cli } from '../../cli/cli-harness';

// The diff on the environments example's whole output (dev/, staging/, prod/, argocd/...), as the
// CI recipe of docs/gitops.md runs it (its commands are read from the page and run below): the
// deployed output against a commit that promotes prod's canary (safe), and against one that drops
// reviews' v3 subset with its route at once (unsafe).
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'environments-diff-'));
createGitOps(path.join(root, 'deployed')).synth();
const promoted = environments().map((e) => (e.name !== 'prod' ? e : new BookinfoEnvironment({
  name: 'prod', destination: e.destination, namespace: e.namespace, host: e.host, replicas: e.replicas, canaryStage: 2, autoscaleProductpage: true, syncPolicy: { automated: false },
})));
new GitOpsEnvironments({ name: 'bookinfo', outdir: path.join(root, 'promoted'), environments: promoted, builder: new BookinfoBuilder(), argoCd: { repoUrl: REPO_URL, targetRevision: 'main', path: 'deploy/bookinfo' } }).synth();

test('promoting prod\'s canary changes only its weights, and is safe in one sync', () => {
  const r = cli(['diff', '--prune-last', 'deployed', 'promoted'], root);
  expect(r.err).toEqual([]);
  expect(r.out).toEqual([
    'prod/',
    '  changed VirtualService bookinfo/reviews (networking.istio.io/v1, prod/bookinfo.k8s.yaml)',
    '            changed /spec/http/0/route/0/weight',
    '            changed /spec/http/0/route/1/weight',
    expect.stringMatching(/^diff: 0 added, 0 removed, 1 changed, \d+ unchanged; safe in one sync$/),
  ]);
  expect(r.status).toBe(0);
});

test('dropping reviews\' v3 subset and its route in one commit is flagged in prod/', () => {
  fs.cpSync(path.join(root, 'deployed'), path.join(root, 'dropped'), { recursive: true });
  const file = path.join(root, 'dropped', 'prod', 'bookinfo.k8s.yaml');
  const objects = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).map((o) => {
    if (o.kind === 'DestinationRule' && o.metadata.name === 'reviews') o.spec.subsets = o.spec.subsets.filter((s: any) => s.name !== 'v3');
    if (o.kind === 'VirtualService' && o.metadata.name === 'reviews') {
      for (const rule of o.spec.http) rule.route = rule.route.filter((r: any) => r.destination.subset !== 'v3').map(({ weight, ...r }: any) => r);
    }
    return o;
  });
  fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  const r = cli(['diff', '--prune-last', '--json', 'deployed', 'dropped'], root);
  expect(r.status).toBe(1);
  const json = JSON.parse(r.out.join('\n'));
  expect(json.unsafeChanges.map((u: any) => [u.folder, u.code, u.resource])).toEqual([['prod', 'MESH0401', 'DestinationRule bookinfo/reviews']]);
});

/** The `cdk8s-mesh` command lines of one fenced block (by language) of docs/gitops.md's CI recipe, without comments. */
function recipeCommands(language: string): string[][] {
  const docs = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'gitops.md'), 'utf8');
  const recipe = docs.slice(docs.indexOf('### CI recipe'));
  const block = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(recipe.slice(0, recipe.indexOf('\n### ', 1)));
  expect(block).not.toBeNull();
  return [...block![1].matchAll(/npx cdk8s-mesh ([^#\n]*)/g)].map((m) => m[1].trim().split(/\s+/));
}

test('the CI recipe\'s commands, as docs/gitops.md writes them, pass on the example\'s output', () => {
  const yaml = recipeCommands('yaml');
  expect(yaml.map((c) => c[0])).toEqual(['analyze', 'diff']);
  expect(recipeCommands('sh')).toEqual(yaml);
  // the recipe's layout: this commit's output in dist/shop, the deploy repository's in deployed/shop
  const ci = fs.mkdtempSync(path.join(os.tmpdir(), 'environments-ci-'));
  fs.cpSync(path.join(root, 'deployed'), path.join(ci, 'deployed', 'shop'), { recursive: true });
  fs.cpSync(path.join(root, 'promoted'), path.join(ci, 'dist', 'shop'), { recursive: true });
  for (const argv of yaml) {
    const r = cli(argv, ci);
    expect([argv.join(' '), r.err, r.status]).toEqual([argv.join(' '), [], 0]);
  }
  expect(cli(yaml[1], ci).out.filter((l) => /^ {2}changed /.test(l))).toEqual([expect.stringContaining('VirtualService bookinfo/reviews')]);
  // the first run: nothing deployed yet (the recipe's mkdir -p), everything is added
  fs.rmSync(path.join(ci, 'deployed', 'shop'), { recursive: true });
  fs.mkdirSync(path.join(ci, 'deployed', 'shop'));
  expect(cli(yaml[1], ci).out.at(-1)).toMatch(/^diff: \d+ added, 0 removed, 0 changed, 0 unchanged; safe in one sync$/);
  // an unsafe change (the test above's dropped/) stops the job before the copy and commit
  fs.cpSync(path.join(root, 'dropped'), path.join(ci, 'dist', 'shop'), { recursive: true });
  fs.rmSync(path.join(ci, 'deployed', 'shop'), { recursive: true });
  fs.cpSync(path.join(root, 'deployed'), path.join(ci, 'deployed', 'shop'), { recursive: true });
  expect(cli(yaml[1], ci).status).toBe(1);
});
