import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { GrantFrom, GrantTo, ReferenceGrant } from '../../src/gateway-api/reference-grant';
import { meshChart } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();

describe('ReferenceGrant', () => {
  test('lets HTTPRoutes of one namespace forward to Services of another', () => {
    const chart = meshChart();
    const grant = new ReferenceGrant(chart, 'edge-routes', { namespace: 'shop', from: [GrantFrom.httpRoutes('edge')], to: [GrantTo.services('cart')] });
    grant.addFrom(GrantFrom.gateways('edge'));
    grant.addTo(GrantTo.secrets());
    grant.addTo(GrantTo.services('cart'));
    const out = schemas.add('grant', Testing.synth(chart));
    expect(out[0].apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(out[0].metadata).toEqual({ name: 'edge-routes', namespace: 'shop' });
    expect(out[0].spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'edge' }, { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'edge' }],
      to: [{ group: '', kind: 'Service', name: 'cart' }, { group: '', kind: 'Secret' }],
    });
    expect(grant.to.map(String)).toEqual(['/Service:cart', '/Secret']);
    expect(out).toMatchSnapshot();
  });

  describe('validation', () => {
    test('no entries', () => {
      const chart = meshChart();
      new ReferenceGrant(chart, 'g');
      expect(() => Testing.synth(chart)).toThrow(/test\/g: from must list at least one entry/);
    });
    test('a bad namespace', () => expect(() => GrantFrom.httpRoutes('Edge')).toThrow(/GrantFrom: namespace must be a DNS label/));
    test('a bad group', () => expect(() => GrantFrom.of('Gateway API', 'HTTPRoute', 'edge')).toThrow(/GrantFrom: group must be an API group/));
    test('a bad kind', () => expect(() => GrantTo.of('', 'my service')).toThrow(/GrantTo: kind must be a kind name/));
    test('a bad name', () => expect(() => GrantTo.services('Cart_1')).toThrow(/GrantTo: name must be a DNS subdomain/));
    test('a value that is not a GrantFrom', () => expect(() => new ReferenceGrant(meshChart(), 'g', { from: [{} as any] })).toThrow(/from must hold GrantFrom values/));
    test('a value that is not a GrantTo', () => expect(() => new ReferenceGrant(meshChart(), 'g', { to: ['Service' as any] })).toThrow(/to must hold GrantTo values/));
    test('more than 16 targets', () => {
      const g = new ReferenceGrant(meshChart(), 'g');
      for (let i = 0; i < 16; i++) g.addTo(GrantTo.services(`s${i}`));
      expect(() => g.addTo(GrantTo.services('s16'))).toThrow(/to cannot hold more than 16 entries/);
    });
  });

  test('random service names render as given, without duplicates', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
    fc.assert(fc.property(fc.array(name, { minLength: 1, maxLength: 20 }), (names) => {
      const chart = meshChart();
      const g = new ReferenceGrant(chart, 'g', { from: [GrantFrom.httpRoutes('edge')] });
      const unique = [...new Set(names)].slice(0, 16);
      unique.forEach((n) => g.addTo(GrantTo.services(n)));
      unique.forEach((n) => g.addTo(GrantTo.services(n)));
      expect(Testing.synth(chart)[0].spec.to.map((t: any) => t.name)).toEqual(unique);
    }), { numRuns: 30 });
  });

  test('every scenario is schema-valid', () => {
    expect(schemas.problems()).toEqual([]);
  });
});
