import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { DestinationRule } from '../../src/istio/destination-rule';
import { AuthorizationCondition, ClientTls, ClientTlsMode, MtlsMigration, MtlsMode, PeerAuthentication, RequestPath } from '../../src/security';
import { meshChart } from '../support/charts';
import { SchemaBatch } from '../support/schema';

describe('MtlsMigration', () => {
  test('stages go DISABLE → PERMISSIVE → STRICT, one step at a time', () => {
    const s = MtlsMigration.stage(MtlsMode.DISABLE);
    expect(s.index).toBe(0);
    expect(s.next().mode).toBe(MtlsMode.PERMISSIVE);
    expect(s.next().next().mode).toBe(MtlsMode.STRICT);
    expect(s.next().next().isComplete).toBe(true);
    expect(MtlsMigration.COMPLETE.mode).toBe(MtlsMode.STRICT);
    expect(MtlsMigration.stages).toEqual([MtlsMode.DISABLE, MtlsMode.PERMISSIVE, MtlsMode.STRICT]);
  });

  test('there is no stage after STRICT, and unknown modes are rejected', () => {
    expect(() => MtlsMigration.COMPLETE.next()).toThrow(/already STRICT, the last stage/);
    expect(() => MtlsMigration.stage('STRICTER' as MtlsMode)).toThrow(/must be one of DISABLE, PERMISSIVE, STRICT, got "STRICTER"/);
  });

  test('property: next() advances the index by exactly one until STRICT', () => {
    fc.assert(fc.property(fc.constantFrom(MtlsMode.DISABLE, MtlsMode.PERMISSIVE), (mode) => {
      const s = MtlsMigration.stage(mode);
      expect(s.next().index).toBe(s.index + 1);
    }));
  });
});

describe('ClientTls', () => {
  test('ISTIO_MUTUAL needs nothing; SIMPLE and MUTUAL keep what they are given', () => {
    expect(ClientTls.istioMutual().mode).toBe(ClientTlsMode.ISTIO_MUTUAL);
    const simple = ClientTls.simple({ caCertificates: '/etc/certs/ca.pem', sni: 'api.example.com', subjectAltNames: ['api.example.com'] });
    expect([simple.mode, simple.caCertificates, simple.sni]).toEqual([ClientTlsMode.SIMPLE, '/etc/certs/ca.pem', 'api.example.com']);
    const mutual = ClientTls.mutual({ clientCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem' });
    expect([mutual.clientCertificate, mutual.privateKey]).toEqual(['/c.pem', '/k.pem']);
    expect(ClientTls.mutual({ credentialName: 'client-cert' }).credentialName).toBe('client-cert');
  });

  test('SIMPLE and MUTUAL need a CA unless insecureSkipVerify', () => {
    expect(() => ClientTls.simple({})).toThrow(/caCertificates is missing: without a CA the server certificate is not verified.*Fix: set caCertificates/);
    expect(() => ClientTls.mutual({ clientCertificate: '/c', privateKey: '/k' })).toThrow(/caCertificates is missing/);
    expect(ClientTls.simple({ insecureSkipVerify: true }).insecureSkipVerify).toBe(true);
  });

  test('MUTUAL needs a client certificate and key, or a credentialName', () => {
    expect(() => ClientTls.mutual({ caCertificates: '/ca' })).toThrow(/clientCertificate and privateKey are needed for MUTUAL/);
    expect(() => ClientTls.mutual({ caCertificates: '/ca', clientCertificate: '/c', credentialName: 'x' })).toThrow(/privateKey is missing: the certificate and key go together/);
    expect(() => ClientTls.simple({ caCertificates: '/ca', clientCertificate: '/c' } as any)).toThrow(/clientCertificate is only used with MUTUAL/);
  });

  test('ISTIO_MUTUAL rejects CA settings, and values are checked', () => {
    expect(() => ClientTls.istioMutual({ caCertificates: '/ca' } as any)).toThrow(/cannot be set with ISTIO_MUTUAL/);
    expect(() => ClientTls.simple({ caCertificates: '' })).toThrow(/caCertificates must be a non-empty string/);
    expect(() => ClientTls.simple({ caCertificates: '/ca', sni: 'not a host' })).toThrow(/sni must be a DNS host name/);
    expect(() => ClientTls.simple({ caCertificates: '/ca', subjectAltNames: [] })).toThrow(/subjectAltNames must be a non-empty list/);
  });
});

describe('RequestPath', () => {
  test('a prefix renders per mesh with segment semantics', () => {
    const p = RequestPath.prefix('/reviews');
    expect(p.toIstio()).toEqual(['/reviews', '/reviews/*']);
    expect(p.toRegex()).toBe('/reviews([/?].*)?');
    expect(RequestPath.prefix('/').toIstio()).toEqual(['/*']);
    expect(RequestPath.prefix('/').toRegex()).toBe('/.*');
    expect(RequestPath.exact('/api.v1/health').toRegex()).toBe('/api\\.v1/health(\\?.*)?');
    expect(RequestPath.exact('/health').toIstio()).toEqual(['/health']);
  });

  test('property: the Cilium regex, matched against :path with its query string, admits exactly the paths the RequestPath does', () => {
    const seg = fc.constantFrom('a', 'ab', 'b', 'a.b');
    const pathArb = fc.array(seg, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`);
    fc.assert(fc.property(pathArb, fc.boolean(), pathArb, fc.option(fc.constantFrom('x=1', '', 'q=/a'), { nil: undefined }), (rulePath, exact, reqPath, query) => {
      const p = exact ? RequestPath.exact(rulePath) : RequestPath.prefix(rulePath);
      const intended = exact ? reqPath === rulePath : reqPath === rulePath || reqPath.startsWith(`${rulePath}/`);
      const header = query === undefined ? reqPath : `${reqPath}?${query}`;
      expect(new RegExp(`^(?:${p.toRegex()})$`).test(header)).toBe(intended);
    }));
  });

  test('paths must be absolute, wildcard-free, and prefixes have no trailing slash', () => {
    expect(() => RequestPath.exact('reviews')).toThrow(/must be an absolute URL path/);
    expect(() => RequestPath.prefix('/reviews/*')).toThrow(/without wildcards/);
    expect(() => RequestPath.prefix('/reviews/')).toThrow(/must not end with '\/'.*use "\/reviews"/);
    expect(() => RequestPath.exact('/a?b=1')).toThrow(/without wildcards, query or fragment/);
  });

  const segment = fc.stringMatching(/^[a-z0-9._-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
  test('property: the Cilium regex of a prefix matches the prefix and anything below, and nothing beside it', () => {
    fc.assert(fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), segment, (parts, extra) => {
      const path = `/${parts.join('/')}`;
      const re = new RegExp(`^${RequestPath.prefix(path).toRegex()}$`);
      expect(re.test(path)).toBe(true);
      expect(re.test(`${path}/${extra}`)).toBe(true);
      expect(re.test(`${path}${extra}x`)).toBe(false);
      const exact = new RegExp(`^${RequestPath.exact(path).toRegex()}$`);
      expect(exact.test(path)).toBe(true);
      expect(exact.test(`${path}/${extra}`)).toBe(false);
    }));
  });

  test('property: random strings are either valid paths or rejected with a clear error', () => {
    fc.assert(fc.property(fc.string({ maxLength: 20 }), (s) => {
      try {
        expect(RequestPath.exact(s).path.startsWith('/')).toBe(true);
      } catch (e) {
        expect((e as Error).message).toMatch(/^RequestPath.exact: path (must be an absolute URL path|contains) .*\. Fix: \S/);
      }
    }));
  });
});

describe('AuthorizationCondition', () => {
  test('claims, headers and keys', () => {
    expect(AuthorizationCondition.claim('role').in('admin', 'user')._render()).toEqual({ key: 'request.auth.claims[role]', values: ['admin', 'user'], notValues: undefined });
    expect(AuthorizationCondition.claim('groups', 'eng').in('x').conditionKey).toBe('request.auth.claims[groups][eng]');
    expect(AuthorizationCondition.header('x-user').notIn('bot').notValues).toEqual(['bot']);
    expect(AuthorizationCondition.key('source.ip').in('10.0.0.0/8').conditionKey).toBe('source.ip');
  });

  test('unknown keys and empty values are rejected', () => {
    expect(() => AuthorizationCondition.key('request.claims.role')).toThrow(/is not a condition key Istio supports, got "request.claims.role"/);
    expect(() => AuthorizationCondition.claim('role').in()).toThrow(/must list at least one non-empty value/);
    expect(() => AuthorizationCondition.claim('a[b]')).toThrow(/claim names without brackets/);
  });
});

describe('properties against the schemas', () => {
  const batch = new SchemaBatch();
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

  test('property: any ClientTls combination either renders into a DestinationRule or fails with a fix', () => {
    fc.assert(fc.property(
      fc.constantFrom('simple', 'mutual', 'istioMutual', 'disable'),
      fc.record({
        caCertificates: maybe(fc.constant('/etc/certs/ca.pem')), credentialName: maybe(fc.constant('client-credential')),
        clientCertificate: maybe(fc.constant('/etc/certs/cert.pem')), privateKey: maybe(fc.constant('/etc/certs/key.pem')),
        insecureSkipVerify: maybe(fc.boolean()), sni: maybe(fc.constant('api.example.com')),
      }),
      (mode, options) => {
        let tls: ClientTls;
        try {
          tls = mode === 'disable' ? ClientTls.disable() : (ClientTls as any)[mode](options);
        } catch (e) {
          expect((e as Error).message).toMatch(/^ClientTls\.\w+: \w+ .+\. Fix: .+/);
          return;
        }
        const c = meshChart();
        new DestinationRule(c, 'api', { host: 'api.example.com', trafficPolicy: { tls } });
        const [dr] = Testing.synth(c);
        expect(dr.spec.trafficPolicy.tls.mode).toBe(tls.mode);
        batch.add(`client-tls-${mode}`, [dr]);
      },
    ), { numRuns: 60 });
  });

  test('property: random port-level modes render schema-valid PeerAuthentications', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 4 }), fc.constantFrom(...Object.values(MtlsMode)), (ports, mode) => {
      const c = meshChart();
      new PeerAuthentication(c, 'pa', { selector: { app: 'x' }, mode, portMtls: ports.map((port) => ({ port, mode })) });
      const [pa] = Testing.synth(c);
      expect(Object.keys(pa.spec.portLevelMtls).map(Number)).toEqual([...ports].sort((a, b) => a - b));
      batch.add('pa-property', [pa]);
    }), { numRuns: 20 });
  });

  test('every property scenario is schema-valid', () => {
    expect(batch.size).toBeGreaterThan(10);
    expect(batch.problems()).toEqual([]);
  });
});
