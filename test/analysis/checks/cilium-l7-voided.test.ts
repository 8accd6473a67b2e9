import { ciliumL7VoidedAnalyzer } from '../../../src/analysis/checks/cilium-l7-voided';
import { Severity } from '../../../src/analysis/finding';
import { run } from './helpers';

const cnp = {
  apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'reviews', namespace: 'shop' },
  spec: {
    endpointSelector: { matchLabels: { app: 'reviews' } },
    ingress: [{
      fromEndpoints: [{ matchLabels: { 'k8s:io.cilium.k8s.policy.serviceaccount': 'productpage', 'k8s:io.kubernetes.pod.namespace': 'shop' } }],
      toPorts: [{ ports: [{ port: '9080', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/reviews(/.*)?' }] } }],
    }],
  },
};
const netpol = (from: any[] | undefined, ports: any[] | undefined = [{ port: 9080, protocol: 'TCP' }]) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'reviews-ingress', namespace: 'shop' },
  spec: { podSelector: { matchLabels: { app: 'reviews' } }, policyTypes: ['Ingress'], ingress: [{ ...(from ? { from } : {}), ...(ports ? { ports } : {}) }] },
});
const productpage = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'productpage-v1', namespace: 'shop' },
  spec: { template: { metadata: { labels: { app: 'productpage' } }, spec: { serviceAccountName: 'productpage' } } },
};

describe('MESH0206 an L4 NetworkPolicy voids a CiliumNetworkPolicy L7 rule', () => {
  test('the NetworkPolicy ServiceAuthorization used to render beside the CNP is reported', () => {
    const findings = run(ciliumL7VoidedAnalyzer, [cnp, netpol([{ podSelector: { matchLabels: { app: 'productpage' } } }]), productpage]);
    expect(findings).toEqual([{
      code: 'MESH0206', severity: Severity.ERROR, resource: 'CiliumNetworkPolicy shop/reviews',
      message: expect.stringMatching(/^restricts ServiceAccount shop\/productpage to L7 HTTP rules on port 9080 of \{app=reviews\}, but NetworkPolicy shop\/reviews-ingress allows the same peer and port at L4.*Fix: drop that NetworkPolicy rule/),
    }]);
  });

  test('whole-namespace, any-source and any-port allows void it too', () => {
    expect(run(ciliumL7VoidedAnalyzer, [cnp, netpol([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }])])).toHaveLength(1);
    expect(run(ciliumL7VoidedAnalyzer, [cnp, netpol(undefined)])).toHaveLength(1);
    expect(run(ciliumL7VoidedAnalyzer, [cnp, netpol(undefined, undefined)])).toHaveLength(1);
  });

  test('other ports, other namespaces, other pods, and pods of another ServiceAccount are not reported', () => {
    expect(run(ciliumL7VoidedAnalyzer, [cnp, netpol(undefined, [{ port: 15090 }])])).toEqual([]);
    expect(run(ciliumL7VoidedAnalyzer, [cnp, netpol([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }])])).toEqual([]);
    const other = { ...productpage, spec: { template: { metadata: { labels: { app: 'productpage' } }, spec: { serviceAccountName: 'other' } } } };
    expect(run(ciliumL7VoidedAnalyzer, [cnp, netpol([{ podSelector: { matchLabels: { app: 'productpage' } } }]), other])).toEqual([]);
    // no workloads in the set: overlap of pod labels and ServiceAccounts cannot be decided
    expect(run(ciliumL7VoidedAnalyzer, [cnp, netpol([{ podSelector: { matchLabels: { app: 'productpage' } } }])])).toEqual([]);
    const ratings = { ...netpol(undefined), spec: { ...netpol(undefined).spec, podSelector: { matchLabels: { app: 'ratings' } } } };
    expect(run(ciliumL7VoidedAnalyzer, [cnp, ratings])).toEqual([]);
  });
});
