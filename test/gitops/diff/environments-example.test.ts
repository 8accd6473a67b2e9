import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { BookinfoBuilder, BookinfoEnvironment } from '../../../examples/environments/bookinfo-environment';
import { createGitOps, environments, REPO_URL } from '../../../examples/environments/main';
import { GitOpsEnvironments } from '../../../src/gitops';
import { cli } from '../../cli/cli-harness';

// The diff on the environments example's whole output (dev/, staging/, prod/, argocd/...), as the
// CI recipe of docs/gitops.md runs it: the deployed output against a commit that promotes prod's
// canary (safe), and against one that drops reviews' v3 subset with its route at once (unsafe).
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
