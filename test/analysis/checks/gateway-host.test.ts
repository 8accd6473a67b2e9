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
      message: 'host shop.example.com is not listed by Gateway istio-system/public (its hosts for namespace shop: bookinfo.example.com), so the gateway ignores this VirtualService for it. Fix: add shop.example.com (or "shop/shop.example.com") to a server of the Gateway, or remove the host',
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
});
