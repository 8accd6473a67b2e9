import { gatewayCredentialsAnalyzer } from '../../../src/analysis/checks/gateway-credentials';
import { gatewayPortsAnalyzer } from '../../../src/analysis/checks/gateway-ports';
import { gatewaySelectsPodsAnalyzer } from '../../../src/analysis/checks/gateway-selects-pods';
import { Severity } from '../../../src/analysis/finding';
import { Manifest } from '../../../src/analysis/manifest';
import { deployment, service } from '../fixtures';
import { run } from './helpers';

/** An Istio Gateway with one server per port; a port with a credential gets HTTPS. */
function gw(name: string, selector: Record<string, string>, servers: Array<{ port: number; credentialName?: string }>, namespace = 'shop'): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace },
    spec: {
      selector,
      servers: servers.map((s) => ({
        port: { number: s.port, name: `p${s.port}`, protocol: s.credentialName ? 'HTTPS' : 'HTTP' },
        hosts: ['shop.example.com'],
        ...(s.credentialName ? { tls: { mode: 'SIMPLE', credentialName: s.credentialName } } : {}),
      })),
    },
  };
}

function secret(name: string, namespace: string): Manifest {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/tls' };
}

const web = deployment('web', { app: 'web' }, 'shop');
const shopGateway = deployment('shop-gateway', { istio: 'shop-gateway' }, 'shop');
const shopGatewayService = { ...service('shop-gateway', [{ port: 80, name: 'http' }], { istio: 'shop-gateway' }, 'shop') };
(shopGatewayService as any).spec.ports = [{ port: 80, targetPort: 8080, name: 'http' }, { port: 443, targetPort: 8443, name: 'https' }];

describe('IST0101 gateway selector matches no pods', () => {
  test('reported when the set holds workloads in the Gateway\'s namespace and none carries the labels', () => {
    expect(run(gatewaySelectsPodsAnalyzer, [web, gw('public', { istio: 'shop-gatewy' }, [{ port: 80 }])])).toEqual([{
      code: 'IST0101', severity: Severity.WARNING, resource: 'Gateway shop/public',
      message: 'selector {istio=shop-gatewy} matches no pods: no workload of the set carries those labels, and it is not Istio\'s default ingress gateway {istio=ingressgateway}, so no gateway proxy serves it. Fix: correct the selector to the labels of the gateway deployment\'s pods',
    }]);
  });

  test('workloads of any namespace and Istio\'s default ingress gateway count; no workloads in the namespace, no finding', () => {
    const elsewhere = deployment('edge', { istio: 'edge' }, 'gateways');
    expect(run(gatewaySelectsPodsAnalyzer, [web, elsewhere, gw('public', { istio: 'edge' }, [{ port: 80 }])])).toEqual([]);
    expect(run(gatewaySelectsPodsAnalyzer, [web, gw('public', { istio: 'ingressgateway' }, [{ port: 80 }])])).toEqual([]);
    expect(run(gatewaySelectsPodsAnalyzer, [gw('egress', { istio: 'egressgateway' }, [{ port: 80 }])])).toEqual([]);
  });
});

describe('IST0162 gateway port not on the gateway Service', () => {
  test('a server port that no Service of the gateway pods exposes (by target port or port) is reported', () => {
    const g = gw('public', { istio: 'shop-gateway' }, [{ port: 8080 }, { port: 443 }, { port: 9090 }]);
    const findings = run(gatewayPortsAnalyzer, [shopGateway, shopGatewayService, g]);
    expect(findings).toEqual([{
      code: 'IST0162', severity: Severity.WARNING, resource: 'Gateway shop/public',
      message: 'servers[2] listens on port 9090, which no Service of the gateway\'s pods (Deployment shop/shop-gateway) exposes (ports: 80, 443, 8080, 8443), so it cannot be reached through the gateway\'s Service. '
        + 'Fix: use a port the Service exposes (its targetPort), or add the port to the Service',
    }]);
  });

  test('Istio\'s default ingress gateway exposes 80, 443, 31400 and 15443', () => {
    const g = gw('public', { istio: 'ingressgateway' }, [{ port: 80 }, { port: 443 }, { port: 8443 }]);
    expect(run(gatewayPortsAnalyzer, [g]).map((f) => f.message.split(',')[0])).toEqual(['servers[2] listens on port 8443']);
  });

  test('not checked when the pods are unknown or no Service of the set selects them', () => {
    expect(run(gatewayPortsAnalyzer, [gw('public', { istio: 'other' }, [{ port: 9090 }])])).toEqual([]);
    expect(run(gatewayPortsAnalyzer, [shopGateway, gw('public', { istio: 'shop-gateway' }, [{ port: 9090 }])])).toEqual([]);
  });
});

describe('IST0101 gateway credentialName Secret not found', () => {
  const tlsGateway = (credentialName: string, selector = { istio: 'ingressgateway' }) => gw('public', selector, [{ port: 443, credentialName }]);

  test('looked up in the namespace of the gateway pods when the set holds Secrets there', () => {
    const findings = run(gatewayCredentialsAnalyzer, [secret('shop-cert', 'istio-system'), tlsGateway('shop-crt')]);
    expect(findings).toEqual([{
      code: 'IST0101', severity: Severity.ERROR, resource: 'Gateway shop/public',
      message: 'servers[0].tls.credentialName names Secret istio-system/shop-crt, which is not in the set (Istio looks it up in istio-system, the namespace of the gateway\'s pods), so the server has no certificate. '
        + 'Fix: create the Secret there, correct the name, or declare it known (--known-secret)',
    }]);
    expect(run(gatewayCredentialsAnalyzer, [secret('shop-cert', 'istio-system'), tlsGateway('shop-cert')])).toEqual([]);
    // a Secret in the Gateway resource's namespace is not where Istio looks
    expect(run(gatewayCredentialsAnalyzer, [secret('other', 'istio-system'), secret('shop-cert', 'shop'), tlsGateway('shop-cert')])).toHaveLength(1);
    // the gateway's own pods decide the namespace
    expect(run(gatewayCredentialsAnalyzer, [shopGateway, secret('shop-cert', 'shop'), tlsGateway('shop-cert', { istio: 'shop-gateway' })])).toEqual([]);
  });

  test('declared known Secrets count and turn the check on; otherwise it is off', () => {
    expect(run(gatewayCredentialsAnalyzer, [tlsGateway('shop-cert')])).toEqual([]);
    expect(run(gatewayCredentialsAnalyzer, [tlsGateway('shop-cert')], { knownSecrets: ['istio-system/shop-cert'] })).toEqual([]);
    expect(run(gatewayCredentialsAnalyzer, [tlsGateway('shop-crt')], { knownSecrets: ['istio-system/shop-cert'] })).toHaveLength(1);
    expect(run(gatewayCredentialsAnalyzer, [tlsGateway('certs/shop-cert')], { knownSecrets: ['certs/shop-cert'] })).toEqual([]);
  });
});
