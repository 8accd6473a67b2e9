import { Testing } from 'cdk8s';
import { meshChart } from '../support/charts';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { service, canary, authorize } from './support';

describe('names you choose: collisions', () => {
  test('two services choosing one VirtualService name fail the synth, naming both constructs', () => {
    const c = meshChart();
    canary(c, service(c, 'reviews', { names: { virtualService: 'routes' } }));
    canary(c, service(c, 'ratings', { names: { virtualService: 'routes' } }));
    expect(() => Testing.synth(c)).toThrow(/test\/ratings\/VirtualService: writes VirtualService bookinfo\/routes \(networking.istio.io\/v1\), which test\/reviews\/VirtualService also writes \(chart test\).*Fix: .*give one of the objects another name \(the construct's name or names prop\)/);
  });

  test('two constructs of different kinds choosing one NetworkPolicy name fail the synth, naming both', () => {
    const c = meshChart();
    new StrictMtlsNamespace(c, 'ns', { name: 'bookinfo', names: { defaultDeny: 'baseline' } });
    authorize(c, { ingressNetworkPolicy: 'baseline' });
    expect(() => Testing.synth(c)).toThrow(/test\/authz\/bookinfo-reviews\/IngressNetworkPolicy: writes NetworkPolicy bookinfo\/baseline \(networking.k8s.io\/v1\), which test\/ns\/DefaultDeny also writes/);
  });

  test('a chosen name equal to another service\'s default collides too', () => {
    const c = meshChart();
    canary(c, service(c, 'reviews'));
    canary(c, service(c, 'ratings', { names: { destinationRule: 'reviews' } }));
    expect(() => Testing.synth(c)).toThrow(/test\/ratings\/DestinationRule: writes DestinationRule bookinfo\/reviews .*which test\/reviews\/DestinationRule also writes/);
  });
});
