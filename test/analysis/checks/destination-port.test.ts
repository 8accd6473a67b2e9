import { destinationPortAnalyzer } from '../../../src/analysis/checks/destination-port';
import { Severity } from '../../../src/analysis/finding';
import { route, service, serviceEntry, virtualService } from '../fixtures';
import { run } from './helpers';

describe('IST0112 destination port required', () => {
  const multi = service('api', [{ port: 8080, name: 'http' }, { port: 9090, name: 'grpc' }]);

  test('a destination without port to a multi-port Service is an error', () => {
    const findings = run(destinationPortAnalyzer, [multi, virtualService('api', { hosts: ['api'], http: [route({ host: 'api' })] })]);
    expect(findings).toEqual([{
      code: 'IST0112', severity: Severity.ERROR, resource: 'VirtualService default/api',
      message: 'http[0].route[0] routes to api.default.svc.cluster.local, which exposes several ports (8080, 9090), without a port. Fix: set destination.port.number to one of 8080, 9090',
    }]);
  });

  test('multi-port ServiceEntry hosts need a port too', () => {
    const vs = virtualService('httpbin', { hosts: ['httpbin.org'], http: [route({ host: 'httpbin.org' })] });
    expect(run(destinationPortAnalyzer, [serviceEntry('httpbin', ['httpbin.org'], [80, 443]), vs]).map((f) => f.code)).toEqual(['IST0112']);
  });

  test('a port, or a single-port Service, raises nothing', () => {
    expect(run(destinationPortAnalyzer, [multi, virtualService('api', { hosts: ['api'], http: [route({ host: 'api', port: 8080 })] })])).toEqual([]);
    expect(run(destinationPortAnalyzer, [service('one', [{ port: 80, name: 'http' }]), virtualService('one', { hosts: ['one'], http: [route({ host: 'one' })] })])).toEqual([]);
  });
});
