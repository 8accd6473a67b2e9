import { duplicateObjectsAnalyzer } from '../../../src/analysis/checks/duplicate-objects';
import { Severity } from '../../../src/analysis/finding';
import { run } from './helpers';

const pa = (name: string, namespace?: string, apiVersion = 'security.istio.io/v1', file?: string) =>
  ({ apiVersion, kind: 'PeerAuthentication', metadata: { name, namespace }, spec: {}, ...(file ? { __file: file } : {}) });

describe('MESH0003 duplicate objects', () => {
  test('a second object of the same kind, namespace and name is an error, naming the file of the first', () => {
    const findings = run(duplicateObjectsAnalyzer, [pa('default', 'shop', undefined, 'a.yaml'), pa('default', 'shop', 'security.istio.io/v1beta1', 'b.yaml')]);
    expect(findings).toEqual([{
      code: 'MESH0003', severity: Severity.ERROR, resource: 'PeerAuthentication shop/default', file: 'b.yaml',
      message: expect.stringMatching(/^is defined twice: an earlier PeerAuthentication \(security.istio.io\/v1\) of the set in a.yaml has the same kind, namespace and name.*Fix: remove one/),
    }]);
  });

  test('the default namespace counts as the namespace of an object without one', () => {
    expect(run(duplicateObjectsAnalyzer, [pa('x'), pa('x', 'default')])).toHaveLength(1);
  });

  test('other names, namespaces and kinds are other objects', () => {
    expect(run(duplicateObjectsAnalyzer, [pa('x', 'a'), pa('x', 'b'), pa('y', 'a'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'a' } }])).toEqual([]);
  });
});
