import { gatewayHostAnalyzer } from '../../../src/analysis/checks/gateway-host';
import { Severity } from '../../../src/analysis/finding';
import { gateway, route, virtualService } from '../fixtures';
import { run } from './helpers';

const vs = (hosts: string[], ns = 'shop') => virtualService('front', { hosts, gateways: ['istio-system/public'], http: [route({ host: 'front' })] }, ns);

describe('IST0132 host not in gateway', () => {
  test('a host no server lists is reported', () => {
    const findings = run(gatewayHostAnalyzer, [gateway('public', ['bookinfo.example.com']), vs(['shop.example.com'])]);
    expect(findings).toEqual([{
      code: 'IST0132', severity: Severity.WARNING, resource: 'VirtualService shop/front',
      message: 'none of its hosts (shop.example.com) is listed by Gateway istio-system/public (its hosts for namespace shop: bookinfo.example.com), so the gateway ignores this VirtualService. Fix: add the host (or "shop/<host>") to a server of the Gateway, or bind the VirtualService to the gateway that serves it',
    }]);
  });

  test('wildcards on either side and namespace-scoped hosts match', () => {
    expect(run(gatewayHostAnalyzer, [gateway('public', ['*.example.com']), vs(['shop.example.com'])])).toEqual([]);
    expect(run(gatewayHostAnalyzer, [gateway('public', ['shop.example.com']), vs(['*.example.com'])])).toEqual([]);
    expect(run(gatewayHostAnalyzer, [gateway('public', ['shop/*']), vs(['shop.example.com'])])).toEqual([]);
    expect(run(gatewayHostAnalyzer, [gateway('public', ['other/*']), vs(['shop.example.com'])])).toHaveLength(1);
  });

  test('a gateway-relative "./host" binds VirtualServices of the gateway\'s namespace only', () => {
    expect(run(gatewayHostAnalyzer, [gateway('public', ['./shop.example.com']), vs(['shop.example.com'], 'istio-system')])).toEqual([]);
    expect(run(gatewayHostAnalyzer, [gateway('public', ['./shop.example.com']), vs(['shop.example.com'])])).toHaveLength(1);
  });

  test('one finding per gateway, only when the gateway accepts none of the hosts (as Istio)', () => {
    const two = virtualService('front', { hosts: ['shop.example.com', 'admin.example.com'], gateways: ['istio-system/public', 'istio-system/admin'], http: [route({ host: 'front' })] }, 'shop');
    expect(run(gatewayHostAnalyzer, [gateway('public', ['shop.example.com']), gateway('admin', ['admin.example.com']), two])).toEqual([]);
    const findings = run(gatewayHostAnalyzer, [gateway('public', ['shop.example.com']), gateway('admin', ['other.example.com']), two]);
    expect(findings.map((f) => f.message.split(' (its')[0])).toEqual(['none of its hosts (shop.example.com, admin.example.com) is listed by Gateway istio-system/admin']);
  });
});
