import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { Manifest } from '../../../src/analysis/manifest';
import { ChangeType, MeshDiff } from '../../../src/gitops';
import { deployment, httpRoute, route, service, virtualService } from '../../analysis/fixtures';
import { annotated, inWave, NS, peerAuthentication, referenceGrant, reviews, tlsRule } from './fixtures';

function unsafe(oldObjects: Manifest[], newObjects: Manifest[], pruneLast = false) {
  return MeshDiff.between(oldObjects, newObjects, { pruneLast }).unsafeChanges;
}

describe('MeshDiff: the change list', () => {
  test('objects added, removed and changed, with the changed fields as JSON pointers', () => {
    const ratings = service('ratings', [{ port: 9080, name: 'http' }], { app: 'ratings' }, NS);
    const details = service('details', [{ port: 9080, name: 'http' }], { app: 'details' }, NS);
    const diff = MeshDiff.between([...reviews({ v1: 80, v2: 20 }), details], [...reviews({ v1: 50, v2: 50 }), ratings]);
    expect(diff.changes.map((c) => [c.change, c.resource])).toEqual([
      [ChangeType.REMOVED, 'Service bookinfo/details'],
      [ChangeType.ADDED, 'Service bookinfo/ratings'],
      [ChangeType.CHANGED, 'VirtualService bookinfo/reviews'],
    ]);
    expect(diff.changes[2].fields).toEqual([
      { operation: ChangeType.CHANGED, pointer: '/spec/http/0/route/0/weight' },
      { operation: ChangeType.CHANGED, pointer: '/spec/http/0/route/1/weight' },
    ]);
    expect(diff.summary).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 2, unsafe: 0 });
  });

  test('a new apiVersion of the same object is a change, not a removal and an addition; pointers are escaped and capped', () => {
    const before = { apiVersion: 'networking.istio.io/v1beta1', kind: 'Gateway', metadata: { name: 'gw', namespace: NS, labels: { 'app.kubernetes.io/name': 'a' } }, spec: { servers: [1, 2, 3] } };
    const after = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: NS, labels: { 'app.kubernetes.io/name': 'b' } }, spec: { servers: [9] } };
    const [change] = MeshDiff.between([before], [after], { maxFieldsPerObject: 3 }).changes;
    expect(change).toMatchObject({ change: ChangeType.CHANGED, apiVersion: 'networking.istio.io/v1', omittedFields: 2 });
    expect(change.fields.map((f) => `${f.operation} ${f.pointer}`)).toEqual([
      'changed /apiVersion', 'changed /metadata/labels/app.kubernetes.io~1name', 'changed /spec/servers/0',
    ]);
  });

  test('status and server-set metadata are not changes; identical outputs give an empty, safe diff', () => {
    const live = annotated(reviews({ v1: 100 })[2], {});
    const withStatus = { ...live, status: { conditions: [] }, metadata: { ...live.metadata, resourceVersion: '42' } };
    const diff = MeshDiff.between([live], [withStatus]);
    expect(diff.changes).toEqual([]);
    expect(diff.safe).toBe(true);
  });

  test('an object twice in one output is refused with a fix', () => {
    const vs = reviews({ v1: 100 })[2];
    expect(() => MeshDiff.between([vs, { ...vs, __file: 'b.yaml' }], [vs])).toThrow(/old output holds VirtualService bookinfo\/reviews twice.*Fix: diff the folder of one Argo CD Application at a time/);
  });
});

describe('MeshDiff: unsafe in one sync', () => {
  test('MESH0401: a subset removed while the old VirtualService still routes to it', () => {
    const found = unsafe(reviews({ v1: 80, v2: 20 }), reviews({ v1: 100 }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'MESH0401', resource: 'DestinationRule bookinfo/reviews', related: ['VirtualService bookinfo/reviews'] });
    expect(found[0].reason).toMatch(/drops subset "v2" of reviews.bookinfo.svc.cluster.local in wave 0, but VirtualService bookinfo\/reviews routes to it \(http\[0\]\.route\[1\]\) until wave 1: in between, requests routed to the subset get 503s/);
    expect(found[0].fix).toMatch(/two commits: first remove every route to subset "v2" from VirtualService bookinfo\/reviews.*then remove the subset/);
  });

  test('MESH0401: the DestinationRule deleted while the VirtualService stays and routes elsewhere', () => {
    const other = virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews' })] }, NS);
    const [svc] = reviews({ v1: 100 });
    const found = unsafe(reviews({ v1: 100 }), [svc, inWave(other, 1)]);
    expect(found.map((u) => u.code)).toEqual(['MESH0401']);
    expect(found[0].reason).toMatch(/DestinationRule bookinfo\/reviews, which defines subset "v1" of reviews.bookinfo.svc.cluster.local, is pruned in wave 0 \(prune\)/);
  });

  test('MESH0402: a route to a new subset in the same wave as its DestinationRule, a later one, or without waves', () => {
    const sameWave = unsafe(reviews({ v1: 100 }, ['v1'], false), reviews({ v1: 80, v2: 20 }, ['v1', 'v2'], false));
    expect(sameWave).toHaveLength(1);
    expect(sameWave[0]).toMatchObject({ code: 'MESH0402', resource: 'VirtualService bookinfo/reviews', related: ['DestinationRule bookinfo/reviews'] });
    expect(sameWave[0].reason).toMatch(/starts routing to subset "v2" .* in wave 0, but DestinationRule bookinfo\/reviews adds the subset in wave 0, not in an earlier wave/);
    expect(sameWave[0].fix).toMatch(/put DestinationRule bookinfo\/reviews in an earlier sync wave than VirtualService bookinfo\/reviews.*or split the change into two commits/);
    const [svc, dr, vs] = reviews({ v1: 80, v2: 20 });
    expect(unsafe(reviews({ v1: 100 }), [svc, inWave(dr, 2), vs]).map((u) => u.code)).toEqual(['MESH0402']);
  });

  test('MESH0403: a host moved to another VirtualService in the same wave the old one is pruned', () => {
    const [svc, dr, vs] = reviews({ v1: 100 });
    const moved = inWave({ ...vs, metadata: { ...vs.metadata, name: 'reviews-routes' } }, 1);
    const found = unsafe([svc, dr, vs], [svc, dr, moved]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'MESH0403', resource: 'VirtualService bookinfo/reviews-routes', related: ['VirtualService bookinfo/reviews'] });
    expect(found[0].reason).toMatch(/host reviews.bookinfo.svc.cluster.local moves from VirtualService bookinfo\/reviews \(pruned in wave 1 \(prune\)\) to VirtualService bookinfo\/reviews-routes \(applied in wave 1\).*default routing to every version/);
    expect(found[0].fix).toMatch(/lower argocd.argoproj.io\/sync-wave than VirtualService bookinfo\/reviews.*PruneLast=true/);
  });

  test('MESH0403: at a gateway the window gives 404s; a host taken from a VirtualService that stays', () => {
    const a = virtualService('shop', { hosts: ['shop.example.com', 'api.example.com'], gateways: ['istio-system/public'], http: [route({ host: 'reviews' })] }, NS);
    const aAfter = virtualService('shop', { hosts: ['shop.example.com'], gateways: ['istio-system/public'], http: [route({ host: 'reviews' })] }, NS);
    const b = virtualService('api', { hosts: ['api.example.com'], gateways: ['istio-system/public'], http: [route({ host: 'ratings' })] }, NS);
    const found = unsafe([a], [aAfter, b]);
    expect(found.map((u) => u.code)).toEqual(['MESH0403']);
    expect(found[0].reason).toMatch(/404s at gateway istio-system\/public/);
  });

  test('MESH0404: a namespace tightened to STRICT while a DestinationRule still disables TLS', () => {
    const dr = tlsRule('reviews', 'reviews', { tls: { mode: 'DISABLE' } });
    const svc = service('reviews', [{ port: 9080, name: 'http' }], { app: 'reviews' }, NS);
    const found = unsafe([svc, dr, peerAuthentication('default', NS, 'PERMISSIVE')], [svc, dr, peerAuthentication('default', NS, 'STRICT')]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'MESH0404', resource: 'PeerAuthentication bookinfo/default', related: ['DestinationRule bookinfo/reviews'] });
    expect(found[0].reason).toMatch(/makes the pods behind reviews.bookinfo.svc.cluster.local STRICT, but DestinationRule bookinfo\/reviews still disables TLS \(trafficPolicy.tls.mode\)/);
    expect(found[0].fix).toMatch(/first switch DestinationRule bookinfo\/reviews to ISTIO_MUTUAL.*then tighten PeerAuthentication bookinfo\/default to STRICT in a later commit/);
  });

  test('MESH0404: mesh-wide STRICT in the same commit that drops the DISABLE (the PeerAuthentication applies first)', () => {
    const svc = service('reviews', [{ port: 9080, name: 'http' }], { app: 'reviews' }, NS);
    const before = [svc, inWave(tlsRule('reviews', 'reviews', { tls: { mode: 'DISABLE' } }), 0)];
    const after = [svc, inWave(tlsRule('reviews', 'reviews', { tls: { mode: 'ISTIO_MUTUAL' } }), 0), inWave(peerAuthentication('default', 'istio-system', 'STRICT'), -1)];
    const found = unsafe(before, after);
    expect(found.map((u) => [u.code, u.resource])).toEqual([['MESH0404', 'PeerAuthentication istio-system/default']]);
    expect(found[0].reason).toMatch(/while DestinationRule bookinfo\/reviews disables TLS \(trafficPolicy.tls.mode\) until wave 0, and STRICT applies from wave -1/);
  });

  test('MESH0404: a workload port tightened to STRICT while the DestinationRule disables TLS on that port', () => {
    const svc = service('reviews', [{ port: 9080, name: 'http' }], { app: 'reviews' }, NS);
    const dr = tlsRule('reviews', 'reviews', { portLevelSettings: [{ port: { number: 9080 }, tls: { mode: 'DISABLE' } }] });
    const strictPort = peerAuthentication('reviews', NS, 'PERMISSIVE', { selector: { matchLabels: { app: 'reviews' } }, portLevelMtls: { 9080: { mode: 'STRICT' } } });
    const found = unsafe([svc, dr, deployment('reviews-v1', { app: 'reviews', version: 'v1' }, NS)], [svc, dr, strictPort, deployment('reviews-v1', { app: 'reviews', version: 'v1' }, NS)]);
    expect(found.map((u) => u.code)).toEqual(['MESH0404']);
    expect(found[0].reason).toMatch(/trafficPolicy.portLevelSettings\[0\].tls.mode \(port 9080\)/);
    // another port STRICT leaves the DISABLE on 9080 alone
    const otherPort = peerAuthentication('reviews', NS, 'PERMISSIVE', { selector: { matchLabels: { app: 'reviews' } }, portLevelMtls: { 9443: { mode: 'STRICT' } } });
    expect(unsafe([svc, dr], [svc, dr, otherPort])).toEqual([]);
  });

  test('MESH0405: an HTTPRoute backendRef to a Service added in the same wave', () => {
    const v1 = service('reviews-v1', [{ port: 9080, name: 'http' }], { app: 'reviews', version: 'v1' });
    const v2 = service('reviews-v2', [{ port: 9080, name: 'http' }], { app: 'reviews', version: 'v2' });
    const before = [v1, httpRoute('reviews', 'reviews', [{ name: 'reviews-v1' }])];
    const after = [v1, v2, httpRoute('reviews', 'reviews', [{ name: 'reviews-v1', weight: 90 }, { name: 'reviews-v2', weight: 10 }])];
    const found = unsafe(before, after);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'MESH0405', resource: 'HTTPRoute default/reviews', related: ['Service default/reviews-v2'] });
    expect(found[0].reason).toMatch(/rules\[0\]\.backendRefs\[1\] starts sending traffic to Service default\/reviews-v2 in wave 0, but the Service is added in wave 0, not in an earlier wave.*500s/);
    expect(unsafe(before, [v1, inWave(v2, 0), inWave(after[2], 1)])).toEqual([]);
  });

  test('MESH0406: a ReferenceGrant removed while the old route still needs it', () => {
    const target = service('ratings', [{ port: 9080, name: 'http' }], { app: 'ratings' }, 'backend');
    const local = service('ratings', [{ port: 9080, name: 'http' }], { app: 'ratings' }, 'shop');
    const crossing = inWave(httpRoute('ratings', 'ratings', [{ name: 'ratings', namespace: 'backend' }], 'shop'), 1);
    const staying = inWave(httpRoute('ratings', 'ratings', [{ name: 'ratings' }], 'shop'), 1);
    const grant = inWave(referenceGrant('shop-routes', 'backend', 'shop'), 0);
    const found = unsafe([target, local, crossing, grant], [target, local, staying]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'MESH0406', resource: 'ReferenceGrant backend/shop-routes', related: ['HTTPRoute shop/ratings'] });
    expect(found[0].reason).toMatch(/stops allowing HTTPRoutes of namespace shop to name Service backend\/ratings in wave 0 \(prune\), but HTTPRoute shop\/ratings names it \(rules\[0\]\.backendRefs\[0\]\) until wave 1/);
    expect(found[0].fix).toMatch(/first remove the backendRef to backend\/ratings from HTTPRoute shop\/ratings/);
    // the safe split: the route first, the grant in the next commit
    expect(unsafe([target, local, crossing, grant], [target, local, staying, grant])).toEqual([]);
    expect(unsafe([target, local, staying, grant], [target, local, staying])).toEqual([]);
  });
});

describe('MeshDiff: unsafe in one sync (a new ReferenceGrant)', () => {
  test('MESH0407: a route naming a Service across namespaces through a ReferenceGrant added in the same wave', () => {
    const target = service('ratings', [{ port: 9080, name: 'http' }], { app: 'ratings' }, 'backend');
    const local = service('ratings', [{ port: 9080, name: 'http' }], { app: 'ratings' }, 'shop');
    const before = [target, local, httpRoute('ratings', 'ratings', [{ name: 'ratings' }], 'shop')];
    const crossing = httpRoute('ratings', 'ratings', [{ name: 'ratings', namespace: 'backend' }], 'shop');
    const grant = referenceGrant('shop-routes', 'backend', 'shop', 'ratings');
    const found = unsafe(before, [target, local, crossing, grant]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'MESH0407', resource: 'HTTPRoute shop/ratings', related: ['ReferenceGrant backend/shop-routes'] });
    expect(found[0].reason).toMatch(/rules\[0\]\.backendRefs\[0\] starts naming Service backend\/ratings in wave 0, but ReferenceGrant backend\/shop-routes, which allows it, is added in wave 0, not in an earlier wave/);
    expect(found[0].fix).toMatch(/put ReferenceGrant backend\/shop-routes in an earlier sync wave than HTTPRoute shop\/ratings/);
    // safe: the grant a wave before the route, or already live
    expect(unsafe(before, [target, local, inWave(crossing, 1), inWave(grant, 0)])).toEqual([]);
    expect(unsafe([...before, grant], [target, local, crossing, grant])).toEqual([]);
  });
});

describe('MeshDiff: reading YAML', () => {
  test('betweenYaml and betweenPaths read what the CLI reads', () => {
    const yaml = (objects: object[]) => objects.map((o) => stringify(o)).join('---\n');
    const fromYaml = MeshDiff.betweenYaml(yaml(reviews({ v1: 80, v2: 20 })), yaml(reviews({ v1: 100 })));
    expect(fromYaml.unsafeChanges.map((u) => [u.code, u.file])).toEqual([['MESH0401', undefined]]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-diff-'));
    fs.mkdirSync(path.join(dir, 'old', 'nested'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'new'));
    fs.writeFileSync(path.join(dir, 'old', 'nested', 'reviews.yaml'), yaml(reviews({ v1: 80, v2: 20 })));
    fs.writeFileSync(path.join(dir, 'new', 'reviews.yml'), yaml(reviews({ v1: 100 })));
    const fromPaths = MeshDiff.betweenPaths(path.join(dir, 'old'), path.join(dir, 'new'));
    expect(fromPaths.unsafeChanges.map((u) => [u.code, u.file])).toEqual([['MESH0401', 'reviews.yml']]);
    expect(fromPaths.toJson()).toEqual({ version: 1, summary: fromPaths.summary, changes: fromPaths.changes, unsafeChanges: fromPaths.unsafeChanges });
    expect(fromPaths.formatText(true)).toEqual([expect.stringMatching(/^unsafe MESH0401 DestinationRule bookinfo\/reviews \(reviews.yml\)/), expect.stringMatching(/^  fix: /), 'diff: 0 added, 0 removed, 2 changed, 1 unchanged; 1 unsafe in one sync']);
  });
});

describe('MeshDiff: safe changes pass', () => {
  test('weights shifted', () => {
    expect(MeshDiff.between(reviews({ v1: 80, v2: 20 }), reviews({ v1: 20, v2: 80 })).safe).toBe(true);
  });

  test('a new subset in an earlier wave than the route to it', () => {
    expect(unsafe(reviews({ v1: 100 }), reviews({ v1: 90, v2: 10 }))).toEqual([]);
  });

  test('a route removed before its subset: the two commits', () => {
    const first = unsafe(reviews({ v1: 80, v2: 20 }), reviews({ v1: 100 }, ['v1', 'v2']));
    const second = unsafe(reviews({ v1: 100 }, ['v1', 'v2']), reviews({ v1: 100 }));
    expect([first, second]).toEqual([[], []]);
  });

  test('a VirtualService and its DestinationRule deleted together: prunes run in reverse wave order', () => {
    const [svc] = reviews({ v1: 80, v2: 20 });
    expect(unsafe(reviews({ v1: 80, v2: 20 }), [svc])).toEqual([]);
  });

  test('a host moved to a VirtualService of an earlier wave, or with PruneLast', () => {
    const [svc, dr, vs] = reviews({ v1: 100 });
    const moved = { ...vs, metadata: { ...vs.metadata, name: 'reviews-routes' } };
    expect(unsafe([svc, dr, vs], [svc, dr, inWave(moved, 0)])).toEqual([]);
    expect(unsafe([svc, dr, vs], [svc, dr, inWave(moved, 1)], true)).toEqual([]);
    expect(unsafe([svc, dr, annotated(vs, { 'argocd.argoproj.io/sync-options': 'PruneLast=true' })], [svc, dr, inWave(moved, 1)])).toEqual([]);
  });

  test('a DestinationRule removed from Git whose live object has Prune=false: Argo CD keeps it, and its subsets', () => {
    const [svc, dr] = reviews({ v1: 100 });
    const other = inWave(virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews' })] }, NS), 1);
    const kept = annotated(dr, { 'argocd.argoproj.io/sync-options': 'Prune=false' });
    expect(unsafe([svc, kept, reviews({ v1: 100 })[2]], [svc, other])).toEqual([]);
  });

  test('STRICT after the DestinationRule stopped disabling TLS, and STRICT where the workload keeps a PERMISSIVE exception', () => {
    const svc = service('reviews', [{ port: 9080, name: 'http' }], { app: 'reviews' }, NS);
    const mutual = tlsRule('reviews', 'reviews', { tls: { mode: 'ISTIO_MUTUAL' } });
    expect(unsafe([svc, mutual], [svc, mutual, peerAuthentication('default', NS, 'STRICT')])).toEqual([]);
    const disabled = tlsRule('reviews', 'reviews', { tls: { mode: 'DISABLE' } });
    const exception = peerAuthentication('reviews', NS, 'PERMISSIVE', { selector: { matchLabels: { app: 'reviews' } } });
    expect(unsafe([svc, disabled, exception], [svc, disabled, exception, peerAuthentication('default', NS, 'STRICT')])).toEqual([]);
  });
});
