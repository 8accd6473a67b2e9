import { ClusterRole, GlobalService, MeshCluster } from '../../src/multicluster';

const base = { name: 'east', network: 'net1', meshId: 'mesh1' };

describe('MeshCluster', () => {
  test('defaults: primary, cluster.local', () => {
    const c = new MeshCluster(base);
    expect([c.role, c.trustDomain, c.primary, c.region]).toEqual([ClusterRole.PRIMARY, 'cluster.local', undefined, undefined]);
  });
  test.each([
    [{ ...base, name: 'East_1' }, /MeshCluster "East_1": name must be a DNS label.*got "East_1"\. Fix: use a name such as "east-1"/],
    [{ ...base, network: '' }, /network must be a DNS label/],
    [{ ...base, meshId: 'Mesh 1' }, /meshId must be a DNS label/],
    [{ ...base, trustDomain: 'Bad Domain' }, /trustDomain must be a DNS subdomain/],
    [{ ...base, role: 'edge' as ClusterRole }, /role is not a cluster role, got "edge"\. Fix: use ClusterRole.PRIMARY or ClusterRole.REMOTE/],
    [{ ...base, role: ClusterRole.REMOTE }, /primary is required for a remote cluster/],
    [{ ...base, primary: 'west' }, /primary only applies to a remote cluster, got "west"/],
    [{ ...base, zone: 'us-east1-b' }, /zone needs a region/],
  ])('refuses %j', (props, message) => {
    expect(() => new MeshCluster(props)).toThrow(message);
  });
});

describe('GlobalService', () => {
  const svc = { name: 'reviews', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['east'] };
  test('called from the clusters it runs in by default: no stubs', () => {
    expect(new GlobalService(svc).stubbedIn).toEqual([]);
  });
  test('stubbed in the callers it does not run in, sorted', () => {
    expect(new GlobalService({ ...svc, calledFrom: ['west', 'east', 'north'] }).stubbedIn).toEqual(['north', 'west']);
  });
  test.each([
    [{ ...svc, name: '9reviews' }, /name must be a valid Service name/],
    [{ ...svc, namespace: 'Book' }, /namespace must be a DNS label/],
    [{ ...svc, ports: [] }, /ports is empty/],
    [{ ...svc, ports: [{ name: 'HTTP', port: 80 }] }, /ports\[0\]\.name is not a port name, got "HTTP"/],
    [{ ...svc, ports: [{ name: 'http', port: 0 }] }, /ports\[0\]\.port must be an integer from 1 to 65535, got 0/],
    [{ ...svc, ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }, /ports\[1\]\.name repeats "http"/],
    [{ ...svc, runsIn: [] }, /runsIn is empty/],
  ])('refuses %j', (props, message) => {
    expect(() => new GlobalService(props)).toThrow(message);
  });
});
