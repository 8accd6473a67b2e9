import { conflictingGatewaysAnalyzer } from '../../../src/analysis/checks/conflicting-gateways';
import { Severity } from '../../../src/analysis/finding';
import { deployment, gateway } from '../fixtures';
import { run } from './helpers';

describe('IST0145 conflicting gateways', () => {
  test('two gateways on the same pods, port and host conflict; each is reported', () => {
    const findings = run(conflictingGatewaysAnalyzer, [gateway('public', ['*.example.com', 'shop.example.com']), gateway('shop', ['shop.example.com'], 'shop')]);
    expect(findings).toEqual([
      {
        code: 'IST0145', severity: Severity.ERROR, resource: 'Gateway istio-system/public',
        message: 'conflicts with Gateway shop/shop: both select the gateway pods {istio=ingressgateway} and serve port 80 for shop.example.com. Fix: merge the servers into one Gateway, or use different ports, hosts or gateway deployments',
      },
      expect.objectContaining({ resource: 'Gateway shop/shop', message: expect.stringMatching(/^conflicts with Gateway istio-system\/public: .* for shop.example.com\./) }),
    ]);
  });

  test('hosts are compared as written, as Istio does: overlapping wildcards and other namespace prefixes do not conflict', () => {
    expect(run(conflictingGatewaysAnalyzer, [gateway('public', ['*.example.com']), gateway('shop', ['shop.example.com'], 'shop')])).toEqual([]);
    expect(run(conflictingGatewaysAnalyzer, [gateway('a', ['shop/shop.example.com']), gateway('b', ['ops/shop.example.com'])])).toEqual([]);
    expect(run(conflictingGatewaysAnalyzer, [gateway('a', ['shop/shop.example.com']), gateway('b', ['shop/shop.example.com'])])).toHaveLength(2);
  });

  test('different hosts, ports or gateway pods do not conflict', () => {
    const other = gateway('b', ['b.example.com']);
    expect(run(conflictingGatewaysAnalyzer, [gateway('a', ['a.example.com']), other])).toEqual([]);
    const tls = { ...gateway('tls', ['a.example.com']) };
    (tls as any).spec = { ...tls.spec, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a.example.com'], tls: { mode: 'SIMPLE', credentialName: 'a' } }] };
    expect(run(conflictingGatewaysAnalyzer, [gateway('a', ['a.example.com']), tls])).toEqual([]);
    const internal = gateway('internal', ['a.example.com']);
    (internal as any).spec = { ...internal.spec, selector: { istio: 'internal-gateway' } };
    expect(run(conflictingGatewaysAnalyzer, [gateway('a', ['a.example.com']), internal])).toEqual([]);
  });

  test('a selector that is part of the other conflicts when a workload of the set carries both', () => {
    const narrow = gateway('narrow', ['a.example.com']);
    (narrow as any).spec = { ...narrow.spec, selector: { istio: 'ingressgateway', tier: 'edge' } };
    const pods = deployment('edge', { istio: 'ingressgateway', tier: 'edge' }, 'istio-system');
    expect(run(conflictingGatewaysAnalyzer, [gateway('a', ['a.example.com']), narrow, pods]).map((f) => f.message.split(' and serve')[0])).toEqual([
      'conflicts with Gateway istio-system/narrow: both select the gateway pods {istio=ingressgateway} (and {istio=ingressgateway, tier=edge})',
      'conflicts with Gateway istio-system/a: both select the gateway pods {istio=ingressgateway, tier=edge} (and {istio=ingressgateway})',
    ]);
    expect(run(conflictingGatewaysAnalyzer, [gateway('a', ['a.example.com']), narrow])).toEqual([]);
  });
});
