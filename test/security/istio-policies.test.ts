import { Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import {
  AuthorizationAction, AuthorizationCondition, AuthorizationPolicy, PeerAuthentication, PolicyTargetRef, RequestAuthentication, MtlsMode,
} from '../../src/security';
import { HttpMethod } from '../../src/traffic/match';
import { meshChart, ofKind } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

describe('PeerAuthentication', () => {
  test('namespace-wide STRICT and a workload policy with port-level modes', () => {
    const c = meshChart();
    new PeerAuthentication(c, 'default', { mode: MtlsMode.STRICT });
    new PeerAuthentication(c, 'legacy', { selector: { app: 'legacy' }, mode: MtlsMode.PERMISSIVE, portMtls: [{ port: 9090, mode: MtlsMode.DISABLE }, { port: 8080, mode: MtlsMode.STRICT }] });
    const out = batch.add('peer-authentication', Testing.synth(c));
    const [ns, legacy] = ofKind(out, 'PeerAuthentication');
    expect(ns).toEqual({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'bookinfo' }, spec: { mtls: { mode: 'STRICT' } } });
    expect(legacy.spec).toEqual({ selector: { matchLabels: { app: 'legacy' } }, mtls: { mode: 'PERMISSIVE' }, portLevelMtls: { 8080: { mode: 'STRICT' }, 9090: { mode: 'DISABLE' } } });
    expect(out).toMatchSnapshot();
  });

  test('a mode left out inherits (no mtls block)', () => {
    const c = meshChart();
    new PeerAuthentication(c, 'inherit', { selector: { app: 'x' }, portMtls: [{ port: 9090, mode: MtlsMode.PERMISSIVE }] });
    const [pa] = batch.add('peer-authentication-inherit', Testing.synth(c));
    expect(pa.spec.mtls).toBeUndefined();
  });

  test('port-level mTLS without a selector fails with a fix', () => {
    const c = meshChart();
    expect(() => new PeerAuthentication(c, 'bad', { mode: MtlsMode.STRICT, portMtls: [{ port: 9090, mode: MtlsMode.PERMISSIVE }] }))
      .toThrow(/test\/bad: portMtls sets port 9090 but the policy has no selector.*Fix: add selector/);
  });

  test('the deprecated portLevelMtls record renders like portMtls, and a port in both is rejected', () => {
    const c = meshChart();
    const legacy = new PeerAuthentication(c, 'legacy', { selector: { app: 'legacy' }, portLevelMtls: { 9090: MtlsMode.DISABLE, 8080: MtlsMode.STRICT } });
    const current = new PeerAuthentication(c, 'current', { selector: { app: 'legacy' }, portMtls: [{ port: 9090, mode: MtlsMode.DISABLE }, { port: 8080, mode: MtlsMode.STRICT }] });
    expect(legacy._toKube()).toEqual(current._toKube());
    expect(current.portMtls).toEqual([{ port: 8080, mode: MtlsMode.STRICT }, { port: 9090, mode: MtlsMode.DISABLE }]);
    expect(current.portLevelMtls).toEqual({ 8080: MtlsMode.STRICT, 9090: MtlsMode.DISABLE });
    expect(() => new PeerAuthentication(c, 'both', { selector: { app: 'x' }, portMtls: [{ port: 9090, mode: MtlsMode.STRICT }], portLevelMtls: { 9090: MtlsMode.DISABLE } }))
      .toThrow(/test\/both: portMtls sets port 9090 twice \(with portLevelMtls\)/);
    expect(() => new PeerAuthentication(c, 'twice', { selector: { app: 'x' }, portMtls: [{ port: 9090, mode: MtlsMode.STRICT }, { port: 9090, mode: MtlsMode.DISABLE }] }))
      .toThrow(/test\/twice: portMtls sets port 9090 twice\. Fix: set each port once/);
    expect(() => new PeerAuthentication(c, 'notalist', { selector: { app: 'x' }, portMtls: { 9090: MtlsMode.STRICT } as never }))
      .toThrow(/portMtls must be a list of \{ port, mode \}/);
  });

  test('bad ports, modes and selectors are rejected', () => {
    const c = meshChart();
    expect(() => new PeerAuthentication(c, 'a', { selector: { app: 'x' }, portMtls: [{ port: 70000, mode: MtlsMode.STRICT }] })).toThrow(/portMtls port must be a whole number from 1 to 65535/);
    expect(() => new PeerAuthentication(c, 'b', { mode: 'ON' as MtlsMode })).toThrow(/mode must be an MtlsMode, got "ON"/);
    expect(() => new PeerAuthentication(c, 'c', { selector: {} })).toThrow(/selector must name at least one pod label/);
  });
});

describe('AuthorizationPolicy', () => {
  test('ALLOW with principals inside source inside from, operations and conditions', () => {
    const c = meshChart();
    new AuthorizationPolicy(c, 'api-access', {
      selector: { app: 'api' },
      rules: [
        { from: [{ principals: ['cluster.local/ns/production/sa/frontend'] }], to: [{ methods: [HttpMethod.GET, HttpMethod.POST], paths: ['/api/*'], ports: [8080] }] },
        { from: [{ namespaces: ['production'], notIpBlocks: ['10.0.0.0/8'] }], to: [{ methods: [HttpMethod.GET], paths: ['/health'], hosts: ['api.example.com'] }],
          when: [AuthorizationCondition.header('x-tenant').in('acme')] },
      ],
    });
    const [p] = batch.add('authz-allow', Testing.synth(c));
    expect(p.spec).toEqual({
      selector: { matchLabels: { app: 'api' } },
      action: 'ALLOW',
      rules: [
        { from: [{ source: { principals: ['cluster.local/ns/production/sa/frontend'] } }], to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/*'], ports: ['8080'] } }] },
        { from: [{ source: { namespaces: ['production'], notIpBlocks: ['10.0.0.0/8'] } }], to: [{ operation: { methods: ['GET'], paths: ['/health'], hosts: ['api.example.com'] } }],
          when: [{ key: 'request.headers[x-tenant]', values: ['acme'] }] },
      ],
    });
  });

  test('allowNothing renders the empty spec; with a selector only the selector', () => {
    const c = meshChart();
    AuthorizationPolicy.allowNothing(c, 'allow-nothing');
    AuthorizationPolicy.allowNothing(c, 'lock-db', { selector: { app: 'db' } });
    const out = batch.add('authz-allow-nothing', Testing.synth(c));
    expect(out.map((o) => o.spec)).toEqual([{}, { selector: { matchLabels: { app: 'db' } } }]);
    expect(out).toMatchSnapshot();
  });

  test('DENY, AUDIT and CUSTOM with a provider; targetRefs', () => {
    const c = meshChart();
    new AuthorizationPolicy(c, 'deny-admin', { action: AuthorizationAction.DENY, rules: [{ to: [{ paths: ['/admin/*'] }], from: [{ notNamespaces: ['ops'] }] }] });
    new AuthorizationPolicy(c, 'audit', { action: AuthorizationAction.AUDIT, rules: [{ to: [{ methods: [HttpMethod.DELETE] }] }] });
    new AuthorizationPolicy(c, 'ext-authz', { action: AuthorizationAction.CUSTOM, provider: 'opa', targetRefs: [PolicyTargetRef.gateway('shop-gateway')], rules: [{ to: [{ notPaths: ['/public/*'] }] }] });
    const out = batch.add('authz-actions', Testing.synth(c));
    expect(out.map((o) => o.spec.action)).toEqual(['DENY', 'AUDIT', 'CUSTOM']);
    expect(out[2].spec.provider).toEqual({ name: 'opa' });
    expect(out[2].spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shop-gateway' }]);
  });

  test('DENY without rules fails at synth; so does ALLOW without rules, pointing to allowNothing', () => {
    const c = meshChart();
    new AuthorizationPolicy(c, 'deny-all', { action: AuthorizationAction.DENY });
    expect(() => Testing.synth(c)).toThrow(/test\/deny-all: rules is empty: a DENY policy without rules denies nothing/);
    const d = meshChart();
    new AuthorizationPolicy(d, 'allow', {});
    expect(() => Testing.synth(d)).toThrow(/use AuthorizationPolicy.allowNothing\(\)/);
    const e = meshChart();
    new AuthorizationPolicy(e, 'audit', { action: AuthorizationAction.AUDIT });
    expect(() => Testing.synth(e)).toThrow(/a AUDIT policy without rules matches nothing/);
  });

  test('CUSTOM needs a provider, which only CUSTOM takes', () => {
    const c = meshChart();
    expect(() => new AuthorizationPolicy(c, 'a', { action: AuthorizationAction.CUSTOM, rules: [{}] })).toThrow(/provider is required for a CUSTOM policy/);
    expect(() => new AuthorizationPolicy(c, 'b', { provider: 'opa', rules: [{}] })).toThrow(/provider is only used by CUSTOM policies, not ALLOW/);
    expect(() => new AuthorizationPolicy(c, 'c', { selector: { a: 'b' }, targetRefs: [PolicyTargetRef.service('x')] })).toThrow(/targetRefs cannot be combined with selector/);
  });

  test('sources, operations and rules are validated as they are added', () => {
    const c = meshChart();
    const p = new AuthorizationPolicy(c, 'p', { rules: [{}] });
    expect(() => p.addRule({ from: [{}] })).toThrow(/rules\[1\].from is empty/);
    expect(() => p.addRule({ to: [{}] })).toThrow(/rules\[1\].to is empty/);
    expect(() => p.addRule({ from: [{ principals: [] }] })).toThrow(/principals must be a non-empty list when given/);
    expect(() => p.addRule({ from: [{ principals: ['cluster.local/ns/*/sa/x'] }] })).toThrow(/a '\*' is allowed only at the start or the end/);
    expect(() => p.addRule({ from: [{ ipBlocks: ['10.0.0.300/8'] }] })).toThrow(/is not an IP address or CIDR/);
    expect(() => p.addRule({ to: [{ ports: [0] }] })).toThrow(/ports has 0, which is not a port number/);
    expect(() => p.addRule({ to: [{ paths: ['reviews'] }] })).toThrow(/does not start with '\/' or '\*'/);
    expect(() => p.addRule({ to: [{ methods: ['FETCH' as HttpMethod] }] })).toThrow(/"FETCH", which is not an HttpMethod/);
    expect(() => p.addRule({ when: [{ key: 'x' } as any] })).toThrow(/is not an AuthorizationCondition/);
    expect(() => AuthorizationPolicy.allowNothing(c, 'n').addRule({})).toThrow(/cannot be added to the allow-nothing baseline/);
    expect(p.rules).toEqual([{}]);
  });

  test('property: random IPv4 CIDRs are accepted exactly when well formed', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 40 }), (octet, bits) => {
      const c = meshChart();
      const cidr = `10.${octet}.0.0/${bits}`;
      const make = () => new AuthorizationPolicy(c, 'p', { rules: [{ from: [{ ipBlocks: [cidr] }] }] });
      if (octet <= 255 && bits <= 32) expect(make).not.toThrow();
      else expect(make).toThrow(/is not an IP address or CIDR/);
    }), { numRuns: 50 });
  });
});

describe('RequestAuthentication', () => {
  test('JWT rules with token location, forwarding and claim headers; jwksUri spelled as documented', () => {
    const c = meshChart();
    new RequestAuthentication(c, 'jwt-auth', {
      selector: { app: 'api' },
      jwtRules: [{
        issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['api.example.com'],
        fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }], fromParams: ['token'], forwardOriginalToken: true,
        outputPayloadToHeader: 'x-jwt-payload', outputClaimToHeaders: [{ header: 'x-sub', claim: 'sub' }], timeout: Duration.seconds(3),
      }],
    });
    const out = batch.add('request-authentication', Testing.synth(c));
    expect(out[0].spec).toEqual({
      selector: { matchLabels: { app: 'api' } },
      jwtRules: [{
        issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['api.example.com'],
        fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }], fromParams: ['token'], forwardOriginalToken: true,
        outputPayloadToHeader: 'x-jwt-payload', outputClaimToHeaders: [{ header: 'x-sub', claim: 'sub' }], timeout: '3s',
      }],
    });
    expect(JSON.stringify(out)).not.toContain('jwks_uri');
    expect(out).toMatchSnapshot();
  });

  test('inline JWKS', () => {
    const c = meshChart();
    new RequestAuthentication(c, 'inline', { jwtRules: [{ issuer: 'me', jwks: '{"keys":[]}' }] });
    expect(batch.add('request-authentication-jwks', Testing.synth(c))[0].spec.jwtRules[0].jwks).toBe('{"keys":[]}');
  });

  test('validation', () => {
    const c = meshChart();
    expect(() => new RequestAuthentication(c, 'a', { jwtRules: [] })).toThrow(/jwtRules must list at least one issuer/);
    expect(() => new RequestAuthentication(c, 'b', { jwtRules: [{ issuer: '' }] })).toThrow(/issuer must be a non-empty string/);
    expect(() => new RequestAuthentication(c, 'c', { jwtRules: [{ issuer: 'x', jwksUri: 'ftp://x' }] })).toThrow(/jwksUri must be an http\(s\) URL/);
    expect(() => new RequestAuthentication(c, 'd', { jwtRules: [{ issuer: 'x', jwks: 'nope' }] })).toThrow(/jwks must be a JWKS JSON document/);
    expect(() => new RequestAuthentication(c, 'e', { jwtRules: [{ issuer: 'x', jwks: '{"keys":[]}', jwksUri: 'https://x' }] })).toThrow(/jwks cannot be combined with jwksUri/);
    expect(() => new RequestAuthentication(c, 'f', { jwtRules: [{ issuer: 'x' }, { issuer: 'x' }] })).toThrow(/"x" is already trusted/);
    expect(() => new RequestAuthentication(c, 'g', { jwtRules: [{ issuer: 'x', fromHeaders: [{ name: 'bad header' }] }] })).toThrow(/must be an HTTP header name/);
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(5);
  expect(batch.problems()).toEqual([]);
});
