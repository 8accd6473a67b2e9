import { destinationRuleCaAnalyzer } from '../../../src/analysis/checks/destination-rule-ca';
import { Severity } from '../../../src/analysis/finding';
import { Manifest } from '../../../src/analysis/manifest';
import { run } from './helpers';

function dr(trafficPolicy: any, extra: any = {}): Manifest {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'db', namespace: 'shop' }, spec: { host: 'db.example.com', trafficPolicy, ...extra } };
}

describe('IST0128/IST0129 DestinationRule TLS without CA certificates', () => {
  test('SIMPLE or MUTUAL without caCertificates, for the host (IST0128) or a port (IST0129)', () => {
    expect(run(destinationRuleCaAnalyzer, [dr({ tls: { mode: 'SIMPLE' } })])).toEqual([{
      code: 'IST0128', severity: Severity.WARNING, resource: 'DestinationRule shop/db',
      message: 'trafficPolicy.tls has mode SIMPLE but no caCertificates to verify the server certificate of db.example.com. Fix: set caCertificates (or a credentialName Secret holding the CA with a workloadSelector)',
    }]);
    const ports = dr({ tls: { mode: 'MUTUAL', clientCertificate: '/c.pem', privateKey: '/k.pem' }, portLevelSettings: [{ port: { number: 5432 }, tls: { mode: 'SIMPLE' } }, { port: { number: 80 }, tls: { mode: 'DISABLE' } }] });
    expect(run(destinationRuleCaAnalyzer, [ports]).map((f) => `${f.code} ${f.message.split(' has')[0]}`)).toEqual(['IST0128 trafficPolicy.tls', 'IST0129 trafficPolicy.portLevelSettings[0].tls (port 5432)']);
  });

  test('caCertificates, other modes, and a credentialName with a workloadSelector are fine', () => {
    expect(run(destinationRuleCaAnalyzer, [dr({ tls: { mode: 'SIMPLE', caCertificates: 'system' } })])).toEqual([]);
    expect(run(destinationRuleCaAnalyzer, [dr({ tls: { mode: 'ISTIO_MUTUAL' } })])).toEqual([]);
    expect(run(destinationRuleCaAnalyzer, [dr({ tls: { mode: 'SIMPLE', credentialName: 'db-ca' } }, { workloadSelector: { matchLabels: { app: 'web' } } })])).toEqual([]);
    // without a workloadSelector Istio does not count the credentialName
    expect(run(destinationRuleCaAnalyzer, [dr({ tls: { mode: 'SIMPLE', credentialName: 'db-ca' } })])).toHaveLength(1);
  });
});
