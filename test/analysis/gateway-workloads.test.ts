import { analyze } from '../../src/analysis/analyze';
import { gatewayPods } from '../../src/analysis/gateway-workloads';
import { ManifestIndex } from '../../src/analysis/manifest-index';

const manifests = [
  {
    apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'edge' },
    spec: { selector: { app: 'edge-gateway' }, servers: [{ port: { number: 8443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-cert' } }] },
  },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'edge-gateway', namespace: 'edge' },
    spec: { selector: { matchLabels: { app: 'edge-gateway' } }, template: { metadata: { labels: { app: 'edge-gateway' } }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } } },
  },
];

test('the pods of a gateway are found once per analysis, though three analyzers ask', () => {
  const lookups = jest.spyOn(ManifestIndex.prototype, 'workloadsMatching');
  try {
    analyze(manifests, { knownSecrets: ['edge/shop-cert'] });
    const gatewayLookups = lookups.mock.calls.filter(([, labels]) => labels.app === 'edge-gateway');
    expect(gatewayLookups).toHaveLength(1);
  } finally {
    lookups.mockRestore();
  }
});

test('the pods of a gateway: its selected workloads and their namespace, found again for another index', () => {
  const index = new ManifestIndex(manifests);
  const gw = index.gateways()[0];
  const pods = gatewayPods(index, gw);
  expect(pods.names).toEqual(['Deployment edge/edge-gateway']);
  expect(pods.namespace).toBe('edge');
  expect(gatewayPods(index, gw)).toBe(pods);
  const other = new ManifestIndex(manifests.slice(0, 1));
  expect(gatewayPods(other, other.gateways()[0]).names).toEqual([]);
});
