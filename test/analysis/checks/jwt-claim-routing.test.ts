import { jwtClaimRoutingAnalyzer } from '../../../src/analysis/checks/jwt-claim-routing';
import { Severity } from '../../../src/analysis/finding';
import { Manifest } from '../../../src/analysis/manifest';
import { gateway, route, virtualService } from '../fixtures';
import { run } from './helpers';

function requestAuthentication(namespace: string, matchLabels?: Record<string, string>): Manifest {
  return {
    apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name: 'jwt', namespace },
    spec: { ...(matchLabels ? { selector: { matchLabels } } : {}), jwtRules: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json' }] },
  };
}

const byGroup = virtualService('front', {
  hosts: ['shop.example.com'], gateways: ['istio-system/public'],
  http: [{ match: [{ headers: { '@request.auth.claims.groups': { exact: 'beta' } } }], ...route({ host: 'front-beta' }) }, route({ host: 'front' })],
}, 'shop');

describe('IST0149 JWT claim routing without RequestAuthentication', () => {
  test('routing on claims through a gateway no RequestAuthentication applies to is an error', () => {
    expect(run(jwtClaimRoutingAnalyzer, [gateway('public', ['*']), byGroup])).toEqual([{
      code: 'IST0149', severity: Severity.ERROR, resource: 'VirtualService shop/front',
      message: 'http[0].match[0].headers routes on @request.auth.claims.groups through Gateway istio-system/public, but no RequestAuthentication applies to its pods {istio=ingressgateway}, so requests never carry verified claims and the match never applies. Fix: add a RequestAuthentication in the gateway\'s namespace selecting those pods',
    }]);
    expect(run(jwtClaimRoutingAnalyzer, [gateway('public', ['*']), byGroup, requestAuthentication('shop')])).toHaveLength(1);
    expect(run(jwtClaimRoutingAnalyzer, [gateway('public', ['*']), byGroup, requestAuthentication('istio-system', { app: 'other' })])).toHaveLength(1);
  });

  test('a RequestAuthentication for the gateway pods, or none needed, raises nothing', () => {
    expect(run(jwtClaimRoutingAnalyzer, [gateway('public', ['*']), byGroup, requestAuthentication('istio-system', { istio: 'ingressgateway' })])).toEqual([]);
    expect(run(jwtClaimRoutingAnalyzer, [gateway('public', ['*']), byGroup, requestAuthentication('istio-system')])).toEqual([]);
    expect(run(jwtClaimRoutingAnalyzer, [byGroup])).toEqual([]); // the gateway is not in the set
    expect(run(jwtClaimRoutingAnalyzer, [gateway('public', ['*']), virtualService('front', { hosts: ['shop.example.com'], gateways: ['istio-system/public'], http: [route({ host: 'front' })] }, 'shop')])).toEqual([]);
  });
});
