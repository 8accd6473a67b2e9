import * as path from 'path';
import { httpRoute, service } from '../analysis/fixtures';
import { inWave, reviews } from '../gitops/diff/fixtures';
import { cli, tmpTree } from './cli-harness';

const v1 = service('reviews-v1', [{ port: 9080, name: 'http' }], { app: 'reviews', version: 'v1' });
const v2 = service('reviews-v2', [{ port: 9080, name: 'http' }], { app: 'reviews', version: 'v2' });

/** An environment's folder before and after a commit: one folder for Istio, one nested for GAMMA. */
function outputs(after: { reviews: object[]; gamma: object[] }) {
  return tmpTree({
    'old/prod/reviews.yaml': reviews({ v1: 80, v2: 20 }),
    'old/prod/gamma/route.yaml': [v1, httpRoute('reviews', 'reviews', [{ name: 'reviews-v1' }])],
    'new/prod/reviews.yaml': after.reviews,
    'new/prod/gamma/route.yaml': after.gamma,
  });
}

describe('cdk8s-mesh diff', () => {
  const unsafeCommit = { reviews: reviews({ v1: 100 }), gamma: [v1, v2, httpRoute('reviews', 'reviews', [{ name: 'reviews-v1', weight: 90 }, { name: 'reviews-v2', weight: 10 }])] };

  test('an unsafe commit exits 1 and says how to split it (plain-text report)', () => {
    const dir = outputs(unsafeCommit);
    const r = cli(['diff', 'old', 'new'], dir);
    expect(r.status).toBe(1);
    expect(r.err).toEqual([]);
    expect(r.out.join('\n')).toMatchSnapshot();
  });

  test('a safe commit exits 0; --quiet prints only the summary', () => {
    const dir = outputs({ reviews: reviews({ v1: 50, v2: 50 }), gamma: [v1, inWave(v2, 0), inWave(httpRoute('reviews', 'reviews', [{ name: 'reviews-v1', weight: 90 }, { name: 'reviews-v2', weight: 10 }]), 1)] });
    const r = cli(['diff', path.join(dir, 'old/prod'), path.join(dir, 'new/prod')], dir);
    expect(r.status).toBe(0);
    expect(r.out.pop()).toBe('diff: 1 added, 0 removed, 2 changed, 3 unchanged; safe in one sync');
    expect(cli(['diff', '--quiet', 'old', 'new'], dir)).toEqual({ status: 0, out: ['diff: 1 added, 0 removed, 2 changed, 3 unchanged; safe in one sync'], err: [] });
  });

  test('--json prints the versioned shape', () => {
    const dir = outputs(unsafeCommit);
    const r = cli(['diff', '--json', 'old', 'new'], dir);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.out.join('\n'));
    expect(Object.keys(json)).toEqual(['version', 'old', 'new', 'summary', 'changes', 'unsafeChanges']);
    expect(json.version).toBe(1);
    expect(json.old).toEqual({ path: 'old', files: 2, objects: 5 });
    expect(json.new).toEqual({ path: 'new', files: 2, objects: 6 });
    expect(json.summary).toEqual({ added: 1, removed: 0, changed: 3, unchanged: 2, unsafe: 2 });
    expect(json.changes).toContainEqual({
      folder: 'prod', change: 'changed', apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace: 'bookinfo', name: 'reviews', resource: 'VirtualService bookinfo/reviews',
      oldFile: 'prod/reviews.yaml', newFile: 'prod/reviews.yaml',
      fields: [{ operation: 'changed', pointer: '/spec/http/0/route/0/weight' }, { operation: 'removed', pointer: '/spec/http/0/route/1' }], omittedFields: 0,
    });
    expect(json.changes).toContainEqual(expect.objectContaining({ folder: 'prod/gamma', change: 'added', resource: 'Service default/reviews-v2', newFile: 'prod/gamma/route.yaml', fields: [] }));
    expect(json.unsafeChanges.map((u: any) => Object.keys(u))).toEqual([
      ['folder', 'code', 'resource', 'reason', 'fix', 'related', 'file'], ['folder', 'code', 'resource', 'reason', 'fix', 'related', 'file'],
    ]);
    expect(json.unsafeChanges.map((u: any) => [u.code, u.resource, u.file])).toEqual([
      ['MESH0401', 'DestinationRule bookinfo/reviews', 'prod/reviews.yaml'], ['MESH0405', 'HTTPRoute default/reviews', 'prod/gamma/route.yaml'],
    ]);
  });

  test('--prune-last: a host moved to a VirtualService of the same wave is safe when the old one is pruned last', () => {
    const [svc, dr, vs] = reviews({ v1: 100 });
    const moved = { ...vs, metadata: { ...vs.metadata, name: 'reviews-routes' } };
    const dir = tmpTree({ 'old.yaml': [svc, dr, vs], 'new.yaml': [svc, dr, moved] });
    expect(cli(['diff', '--quiet', 'old.yaml', 'new.yaml'], dir).out[0]).toMatch(/^unsafe MESH0403 VirtualService bookinfo\/reviews-routes \(new.yaml\): host reviews/);
    expect(cli(['diff', '--quiet', '--prune-last', 'old.yaml', 'new.yaml'], dir).status).toBe(0);
  });

  test('usage and input errors exit 2', () => {
    const dir = tmpTree({ 'a/x.yaml': reviews({ v1: 100 }), 'b/x.yaml': 'kind: [unclosed', 'c/x.yaml': reviews({ v1: 100 }), 'c/y.yaml': reviews({ v1: 100 }) });
    expect(cli(['diff', 'a'], dir)).toEqual({ status: 2, out: [], err: ['cdk8s-mesh: diff takes two paths, the old output and the new one; got 1', 'Run "cdk8s-mesh --help" for usage.'] });
    expect(cli(['diff', 'a', 'a', '--frobnicate'], dir).err[0]).toBe('cdk8s-mesh: unknown option --frobnicate');
    expect(cli(['diff', 'a', 'missing'], dir).err[0]).toBe('cdk8s-mesh: missing does not exist');
    expect(cli(['diff', 'a', 'b'], dir).err[0]).toMatch(/^cdk8s-mesh: cannot read b: .*x\.yaml/);
    const twice = cli(['diff', 'a', 'c'], dir);
    expect(twice.status).toBe(2);
    expect(twice.err[0]).toMatch(/new output holds Service bookinfo\/reviews twice \(x.yaml and y.yaml\)/);
  });

  test('each folder is its own set (one Application each); --recursive makes one set of all', () => {
    const [svc, dr, vs] = reviews({ v1: 80, v2: 20 });
    const dir = tmpTree({
      'old/prod/eu/reviews.yaml': [svc, dr, vs], 'old/prod/us/reviews.yaml': [svc, dr, vs],
      'new/prod/eu/reviews.yaml': reviews({ v1: 100 }, ['v1', 'v2']), 'new/prod/us/reviews.yaml': [svc, dr, vs], 'new/prod/ap/reviews.yaml': [svc, dr, vs],
    });
    const r = cli(['diff', 'old/prod', 'new/prod'], dir);
    expect(r).toEqual({
      status: 0,
      out: [
        'ap/', '  added   Service bookinfo/reviews (v1, ap/reviews.yaml)', '  added   DestinationRule bookinfo/reviews (networking.istio.io/v1, ap/reviews.yaml)',
        '  added   VirtualService bookinfo/reviews (networking.istio.io/v1, ap/reviews.yaml)',
        'eu/', '  changed VirtualService bookinfo/reviews (networking.istio.io/v1, eu/reviews.yaml)',
        '            changed /spec/http/0/route/0/weight', '            removed /spec/http/0/route/1',
        'diff: 3 added, 0 removed, 1 changed, 5 unchanged; safe in one sync',
      ],
      err: [],
    });
    const recursive = cli(['diff', '--recursive', 'old/prod', 'new/prod'], dir);
    expect(recursive.status).toBe(2);
    expect(recursive.err[0]).toMatch(/old output holds Service bookinfo\/reviews twice \(eu\/reviews.yaml and us\/reviews.yaml\)/);
  });

  test('--help lists the checks and the exit status', () => {
    const r = cli(['diff', '--help'], '.');
    expect(r.status).toBe(0);
    expect(r.out[0]).toMatch(/^Usage: cdk8s-mesh diff <old-dir\|file> <new-dir\|file>/);
    expect(r.out[0]).toMatch(/MESH0406/);
    expect(cli(['--help'], '.').out[0]).toMatch(/diff <old> <new>/);
  });
});
