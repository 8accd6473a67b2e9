import { secretFields, secretsIn, TLS_MATERIAL_KEYS } from './secret-scan';

// The multi-cluster tests rely on this scan to find credentials in the output: it must find them.
describe('secret scan', () => {
  test('finds a Secret, and data or stringData at any depth, in arrays too', () => {
    expect(secretsIn([
      { kind: 'Secret', metadata: { name: 'creds' } },
      { kind: 'ConfigMap', metadata: { name: 'kubeconfig' }, data: { config: 'x' } },
      { kind: 'Link', metadata: { name: 'west' }, spec: { items: [{ nested: { stringData: {} } }] } },
    ])).toEqual(['Secret/creds is a Secret', 'ConfigMap/kubeconfig.data', 'Link/west.spec.items[0].nested.stringData']);
  });

  test('TLS material keys are found only when asked for', () => {
    const values = { clustermesh: { apiserver: { tls: { ca: { cert: 'c', key: 'k' } } } } };
    expect(secretFields(values, 'values')).toEqual([]);
    expect(secretFields(values, 'values', TLS_MATERIAL_KEYS)).toEqual(['values.clustermesh.apiserver.tls.ca', 'values.clustermesh.apiserver.tls.ca.cert', 'values.clustermesh.apiserver.tls.ca.key']);
  });

  test('clean manifests give nothing', () => {
    expect(secretsIn([{ kind: 'Service', metadata: { name: 'reviews' }, spec: { ports: [{ port: 9080 }] } }])).toEqual([]);
  });
});
