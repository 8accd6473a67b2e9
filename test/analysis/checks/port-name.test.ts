import { portNameAnalyzer } from '../../../src/analysis/checks/port-name';
import { Severity } from '../../../src/analysis/finding';
import { service } from '../fixtures';
import { run } from './helpers';

describe('IST0118 port name', () => {
  test('a name without protocol and no appProtocol is reported with a fix', () => {
    expect(run(portNameAnalyzer, [service('web', [{ port: 8080, name: 'web' }])])).toEqual([{
      code: 'IST0118', severity: Severity.WARNING, resource: 'Service default/web',
      message: 'port 8080 is named "web", from which Istio cannot detect the protocol, and sets no appProtocol. Fix: name it "<protocol>" or "<protocol>-<suffix>" (e.g. "http" or "http-web"), or set appProtocol',
    }]);
  });

  test('unnamed ports and names that only start like a protocol are reported', () => {
    const findings = run(portNameAnalyzer, [service('a', [{ port: 80 }, { port: 81, name: 'httpx' }, { port: 82, name: 'grpcweb' }])]);
    expect(findings.map((f) => f.message.split(',')[0])).toEqual(['port 80 has no name', 'port 81 is named "httpx"', 'port 82 is named "grpcweb"']);
  });

  test.each(['http', 'http-web', 'HTTP2-api', 'grpc', 'grpc-web', 'tcp-db', 'tls', 'https', 'mongo', 'mysql', 'redis'])('%s is detected', (name) => {
    expect(run(portNameAnalyzer, [service('a', [{ port: 80, name }])])).toEqual([]);
  });

  test('appProtocol, UDP ports, ExternalName and system namespaces are exempt', () => {
    expect(run(portNameAnalyzer, [service('a', [{ port: 80, name: 'metrics', appProtocol: 'http' }, { port: 53, name: 'dns', protocol: 'UDP' }])])).toEqual([]);
    expect(run(portNameAnalyzer, [service('dns', [{ port: 53, name: 'dns' }], { k8s: 'dns' }, 'kube-system')])).toEqual([]);
  });

  test("Istio's own Services are skipped, as Istio does", () => {
    const labelled = (labels: Record<string, string>) => ({ ...service('gw', [{ port: 80, name: 'web' }], { app: 'gw' }, 'istio-system'), metadata: { name: 'gw', namespace: 'istio-system', labels } });
    expect(run(portNameAnalyzer, [labelled({ istio: 'ingressgateway' }), labelled({ release: 'istio' }), labelled({ 'gateway.istio.io/managed': 'istio.io-gateway-controller' })])).toEqual([]);
    expect(run(portNameAnalyzer, [labelled({ release: 'other' })])).toHaveLength(1);
  });

  test('an appProtocol Istio does not know is reported; Kubernetes-defined ones are fine', () => {
    const findings = run(portNameAnalyzer, [service('a', [{ port: 80, name: 'http', appProtocol: 'web' }, { port: 81, name: 'x', appProtocol: 'kubernetes.io/h2c' }])]);
    expect(findings.map((f) => f.message.split('(')[0])).toEqual(['port 80 sets appProtocol "web", which is not a protocol Istio knows ']);
  });
});
