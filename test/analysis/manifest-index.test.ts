import { ManifestIndex } from '../../src/analysis/manifest-index';
import { Manifest } from '../../src/analysis/manifest';
import { deployment, destinationRule, gateway, healthyReviews, service, serviceEntry } from './fixtures';

describe('ManifestIndex', () => {
  test('indexes Services with ports, selector and host', () => {
    const index = new ManifestIndex([service('api', [{ port: 80, name: 'http' }, { port: 9090, name: 'metrics', appProtocol: 'http' }], { app: 'api' }, 'shop')]);
    expect(index.service('api', 'shop')).toEqual(expect.objectContaining({
      host: 'api.shop.svc.cluster.local', selector: { app: 'api' }, type: 'ClusterIP',
      ports: [{ port: 80, name: 'http', appProtocol: undefined, protocol: 'TCP', targetPortNumber: 80 }, { port: 9090, name: 'metrics', appProtocol: 'http', protocol: 'TCP', targetPortNumber: 9090 }],
      exportTo: ['*'],
    }));
    expect(index.serviceByHost('API.shop.svc.cluster.local')?.name).toBe('api');
    expect(index.hasServices).toBe(true);
  });

  test('indexes workloads of every pod-creating kind with pod labels and service account', () => {
    const pod: Manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'p' } }, spec: { serviceAccountName: 'psa' } };
    const cron: Manifest = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'jobs' }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: 'c' } } } } } } };
    const index = new ManifestIndex([deployment('reviews-v1', { app: 'reviews', version: 'v1' }), pod, cron, service('x', [{ port: 80 }])]);
    expect(index.workloads().map((w) => [w.kind, w.namespace, w.podLabels, w.serviceAccountName])).toEqual([
      ['Deployment', 'default', { app: 'reviews', version: 'v1' }, 'reviews'],
      ['Pod', 'default', { app: 'p' }, 'psa'],
      ['CronJob', 'jobs', { app: 'c' }, 'default'],
    ]);
    expect(index.workloads('jobs').map((w) => w.name)).toEqual(['c']);
    // a Rollout with a template is a workload; one taking its pods from a workloadRef is not (its
    // pods are the referenced Deployment's, indexed on its own when in the set)
    const rollout = (name: string, spec: any): Manifest => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name }, spec });
    const withRollouts = new ManifestIndex([
      rollout('tpl', { template: { metadata: { labels: { app: 'tpl' } } } }),
      rollout('ref', { selector: { matchLabels: { app: 'ref' } }, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ref-v1' } }),
    ]);
    expect(withRollouts.workloads().map((w) => [w.kind, w.name, w.podLabels])).toEqual([['Rollout', 'tpl', { app: 'tpl' }]]);
    // workloadsWithLabels (labels first: the form jsii allows) answers as workloadsMatching
    expect(index.workloadsWithLabels({ app: 'c' }).map((w) => w.name)).toEqual(['c']);
    expect(index.workloadsWithLabels({ app: 'c' }, 'default')).toEqual([]);
    expect(index.workloadsWithLabels({ app: 'p' }, 'default')).toEqual(index.workloadsMatching('default', { app: 'p' }));
  });

  test('indexes gateways, DestinationRules by host and ServiceEntry hosts', () => {
    const index = new ManifestIndex([
      gateway('public', ['shop/*.example.com', './admin.example.com', 'bookinfo.example.com']),
      destinationRule('all', '*.shop.svc.cluster.local', { a: { v: 'a' } }, 'shop'),
      ...healthyReviews('shop'),
      serviceEntry('ext', ['api.example.com', 'internal-db'], [5432], 'shop'),
    ]);
    expect(index.gateway('istio-system/public', 'shop')?.hosts).toEqual([
      { namespace: 'shop', host: '*.example.com' }, { namespace: 'istio-system', host: 'admin.example.com' }, { namespace: '*', host: 'bookinfo.example.com' },
    ]);
    expect(index.gateway('public', 'istio-system')?.name).toBe('public');
    expect(index.gateway('public', 'shop')).toBeUndefined();
    expect(index.destinationRulesFor('reviews.shop.svc.cluster.local').map((d) => d.name)).toEqual(['all', 'reviews']);
    expect(index.serviceEntryHosts().map((e) => e.host)).toEqual(['api.example.com', 'internal-db.shop.svc.cluster.local']);
    expect(index.hostExists('internal-db.shop.svc.cluster.local')).toBe(true);
    expect(index.hostExists('ratings.shop.svc.cluster.local')).toBe(false);
  });

  test('skips objects that are not Kubernetes objects and resolves known hosts', () => {
    const index = new ManifestIndex([null as any, { kind: 'Service' } as any, { apiVersion: 'v1', kind: 'Service', metadata: {} } as any], 'shop', { knownHosts: ['ratings', '*.corp.example.com'] });
    expect(index.services()).toEqual([]);
    expect(index.knownHosts).toEqual(['ratings.shop.svc.cluster.local', '*.corp.example.com']);
    expect(index.hostExists('db.corp.example.com')).toBe(true);
    expect(index.knowsHosts).toBe(true);
  });
});
