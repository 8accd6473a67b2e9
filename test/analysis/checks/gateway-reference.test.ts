import { gatewayReferenceAnalyzer } from '../../../src/analysis/checks/gateway-reference';
import { Severity } from '../../../src/analysis/finding';
import { gateway, route, virtualService } from '../fixtures';
import { run } from './helpers';

const vsVia = (...gateways: string[]) => virtualService('front', { hosts: ['shop.example.com'], gateways, http: [route({ host: 'front' })] }, 'shop');

describe('IST0101 gateway not found', () => {
  test('an unknown gateway is an error when the set holds Gateways', () => {
    const findings = run(gatewayReferenceAnalyzer, [gateway('public', ['*']), vsVia('istio-system/privat')]);
    expect(findings).toEqual([{
      code: 'IST0101', severity: Severity.ERROR, resource: 'VirtualService shop/front',
      message: 'gateways[0] names Gateway istio-system/privat, which is not in the set. Fix: correct the name (a Gateway in another namespace is "<namespace>/<name>"), add the Gateway, or declare it known (--known-gateway)',
    }]);
  });

  test('a bare name means the VirtualService\'s namespace', () => {
    expect(run(gatewayReferenceAnalyzer, [gateway('public', ['*']), vsVia('public')]).map((f) => f.message)).toEqual([expect.stringMatching(/names Gateway shop\/public/)]);
    expect(run(gatewayReferenceAnalyzer, [gateway('public', ['*'], 'shop'), vsVia('public')])).toEqual([]);
  });

  test('mesh, ns/name, legacy FQDN references, route-level gateways and known gateways resolve', () => {
    expect(run(gatewayReferenceAnalyzer, [gateway('public', ['*']), vsVia('mesh', 'istio-system/public', 'public.istio-system.svc.cluster.local')])).toEqual([]);
    expect(run(gatewayReferenceAnalyzer, [vsVia('istio-system/shared')], { knownGateways: ['istio-system/shared'] })).toEqual([]);
    const routeLevel = virtualService('front', { hosts: ['front'], http: [{ match: [{ gateways: ['nope'] }], ...route({ host: 'front' }) }] }, 'shop');
    expect(run(gatewayReferenceAnalyzer, [gateway('public', ['*']), routeLevel]).map((f) => f.message)).toEqual([expect.stringMatching(/^http\[0\]\.match\[0\]\.gateways\[0\] names Gateway shop\/nope/)]);
  });

  test('only a warning when the set holds no Gateway at all', () => {
    expect(run(gatewayReferenceAnalyzer, [vsVia('istio-system/public')]).map((f) => f.severity)).toEqual([Severity.WARNING]);
  });
});
