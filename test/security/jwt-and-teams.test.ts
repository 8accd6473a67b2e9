import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { Mesh } from '../../src/core/mesh';
import { Sidecar } from '../../src/istio/sidecar';
import {
  AuthorizationCondition, JwtEnforcement, JwtPolicy, JwtTarget, MtlsMigration, MtlsMode, TeamMember, TeamNamespace,
} from '../../src/security';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();
const ISSUER = { issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['api.example.com'] };

describe('JwtPolicy', () => {
  test('at the ingress gateway: RequestAuthentication + DENY without a token or the claim, scoped to the protected hosts', () => {
    const c = meshChart(Mesh.ISTIO, 'bookinfo');
    const p = new JwtPolicy(c, 'jwt', {
      target: JwtTarget.ingressGateway(), jwtRules: [ISSUER], hosts: ['API.example.com'], ports: [8080, 8443],
      requiredClaims: [AuthorizationCondition.claim('role').in('admin', 'user')],
    });
    const out = batch.add('jwt-gateway', Testing.synth(c));
    const [ra] = ofKind(out, 'RequestAuthentication');
    expect(ra.metadata).toEqual({ name: 'ingressgateway-jwt', namespace: 'istio-system' });
    expect(ra.spec).toEqual({ selector: { matchLabels: { istio: 'ingressgateway' } }, jwtRules: [ISSUER] });
    const [ap] = ofKind(out, 'AuthorizationPolicy');
    expect(ap.metadata).toEqual({ name: 'ingressgateway-jwt-require', namespace: 'istio-system' });
    // a DENY, not an ALLOW: an ALLOW on the gateway would deny every other host it serves;
    // Istio's hosts match is exact, so the host with a port ("api.example.com:443") is listed too;
    // the ports keep Istio from denying all TCP traffic through the gateway (HTTP-only DENY rule)
    const to = [{ operation: { hosts: ['api.example.com', 'api.example.com:*'], ports: ['8080', '8443'] } }];
    expect(ap.spec).toEqual({
      selector: { matchLabels: { istio: 'ingressgateway' } },
      action: 'DENY',
      rules: [
        { from: [{ source: { notRequestPrincipals: ['*'] } }], to },
        { to, when: [{ key: 'request.auth.claims[role]', notValues: ['admin', 'user'] }] },
      ],
    });
    expect(p.requestAuthentication.issuerNames).toEqual(['https://auth.example.com']);
    expect(out).toMatchSnapshot();
  });

  test('at a dedicated ingress gateway: every host, and ALLOW_VALID on request', () => {
    const c = meshChart(Mesh.ISTIO, 'bookinfo');
    new JwtPolicy(c, 'deny', { target: JwtTarget.ingressGateway(), jwtRules: [ISSUER], dedicatedGateway: true });
    new JwtPolicy(c, 'allow', {
      target: JwtTarget.ingressGateway({ selector: { istio: 'api-gateway' } }), jwtRules: [ISSUER], name: 'api-jwt',
      dedicatedGateway: true, enforcement: JwtEnforcement.ALLOW_VALID,
    });
    const [deny, allow] = ofKind(batch.add('jwt-gateway-dedicated', Testing.synth(c)), 'AuthorizationPolicy');
    expect(deny.spec).toEqual({ selector: { matchLabels: { istio: 'ingressgateway' } }, action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] });
    expect(allow.spec).toEqual({ selector: { matchLabels: { istio: 'api-gateway' } }, action: 'ALLOW', rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] });
  });

  test('on a service with DENY_OTHERS: deny requests without a token and requests without the claim', () => {
    const c = meshChart(Mesh.ISTIO, 'bookinfo');
    new JwtPolicy(c, 'jwt', {
      target: JwtTarget.service(reviewsService(c)), jwtRules: [ISSUER], enforcement: JwtEnforcement.DENY_OTHERS,
      requiredClaims: [AuthorizationCondition.claim('role').in('admin')],
    });
    const [ap] = ofKind(batch.add('jwt-service-deny', Testing.synth(c)), 'AuthorizationPolicy');
    expect(ap.metadata.name).toBe('reviews-jwt-require');
    expect(ap.spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } },
      action: 'DENY',
      rules: [
        { from: [{ source: { notRequestPrincipals: ['*'] } }] },
        { when: [{ key: 'request.auth.claims[role]', notValues: ['admin'] }] },
      ],
    });
  });

  test('validation', () => {
    const c = meshChart();
    expect(() => new JwtPolicy(c, 'a', { target: JwtTarget.ingressGateway(), jwtRules: [ISSUER], requiredClaims: [AuthorizationCondition.key('source.ip').in('1.2.3.4')] }))
      .toThrow(/requiredClaims\[0\] must be a condition on the token/);
    expect(() => new JwtPolicy(meshChart(Mesh.LINKERD), 'b', { target: JwtTarget.ingressGateway(), jwtRules: [ISSUER] })).toThrow(/linkerd, which has no JWT validation resource/);
    expect(() => new JwtPolicy(c, 'c', { target: JwtTarget.ingressGateway(), jwtRules: [], hosts: ['api.example.com'] })).toThrow(/jwtRules must list at least one issuer/);
    const gw = JwtTarget.ingressGateway();
    expect(() => new JwtPolicy(c, 'd', { target: gw, jwtRules: [ISSUER] }))
      .toThrow(/d: hosts is missing at the ingress gateway: without it every host the shared gateway serves would need a token.*dedicatedGateway: true/);
    expect(() => new JwtPolicy(c, 'e', { target: gw, jwtRules: [ISSUER], hosts: ['api.example.com'], enforcement: JwtEnforcement.ALLOW_VALID }))
      .toThrow(/e: enforcement is ALLOW_VALID at a shared ingress gateway.*every other host it serves would need a token/);
    expect(() => new JwtPolicy(c, 'f', { target: gw, jwtRules: [ISSUER], hosts: ['api.example.com:443'] }))
      .toThrow(/f: hosts\[0\] has "api.example.com:443", which is not a DNS name without port or wildcard/);
    expect(() => new JwtPolicy(c, 'g', { target: gw, jwtRules: [ISSUER], hosts: ['*.example.com'] })).toThrow(/hosts\[0\] has "\*.example.com"/);
    expect(() => new JwtPolicy(c, 'h', { target: gw, jwtRules: [ISSUER], hosts: [] })).toThrow(/hosts must list at least one host/);
    expect(() => new JwtPolicy(c, 'i', { target: gw, jwtRules: [ISSUER], dedicatedGateway: true, hosts: ['a.example.com'], enforcement: JwtEnforcement.ALLOW_VALID }))
      .toThrow(/hosts is set with ALLOW_VALID: an ALLOW policy scoped to hosts denies requests to every other host/);
    expect(() => new JwtPolicy(c, 'k', { target: gw, jwtRules: [ISSUER], dedicatedGateway: true, ports: [8080], enforcement: JwtEnforcement.ALLOW_VALID }))
      .toThrow(/ports is set with ALLOW_VALID/);
    expect(() => new JwtPolicy(c, 'l', { target: gw, jwtRules: [ISSUER], hosts: ['a.example.com'], ports: [0] })).toThrow(/ports has 0, which is not a port number/);
    expect(() => new JwtPolicy(c, 'j', { target: JwtTarget.service(reviewsService(c)), jwtRules: [ISSUER], dedicatedGateway: true }))
      .toThrow(/dedicatedGateway is set on a service target/);
  });
});

describe('TeamNamespace', () => {
  test('namespace, ResourceQuota, LimitRange and an editor Role with the mesh kinds and their API groups', () => {
    const c = meshChart(Mesh.ISTIO, 'platform');
    const team = new TeamNamespace(c, 'payments', {
      members: [TeamMember.group('team-payments'), TeamMember.serviceAccount('argocd-application-controller', 'argocd')],
      quota: { requestsCpu: '8', requestsMemory: '16Gi', limitsCpu: '16', limitsMemory: '32Gi', pods: 100 },
      namespace: { cni: true },
    });
    const out = batch.add('team-istio', Testing.synth(c));
    expect(ofKind(out, 'Namespace')[0].metadata.name).toBe('payments');
    expect(ofKind(out, 'ResourceQuota')[0]).toEqual({
      apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'payments-quota', namespace: 'payments' },
      spec: { hard: { 'requests.cpu': '8', 'requests.memory': '16Gi', 'limits.cpu': '16', 'limits.memory': '32Gi', 'pods': 100 } },
    });
    expect(ofKind(out, 'LimitRange')[0].spec).toEqual({ limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '500m', memory: '512Mi' } }] });
    const [role] = ofKind(out, 'Role');
    const groups = Object.fromEntries(role.rules.map((r: any) => [r.apiGroups[0], r.resources]));
    expect(groups['networking.istio.io']).toEqual(['destinationrules', 'serviceentries', 'sidecars', 'virtualservices']);
    expect(groups['security.istio.io']).toEqual(['authorizationpolicies', 'requestauthentications']);
    expect(ofKind(out, 'RoleBinding')[0].subjects).toEqual([
      { kind: 'Group', name: 'team-payments', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' },
    ]);
    expect(team.namespace.migration.mode).toBe(MtlsMode.STRICT);
    expect(out).toMatchSnapshot();
  });

  test('the namespace baseline is platform-owned: a ValidatingAdmissionPolicy refuses the members updates and deletes of it', () => {
    const c = meshChart(Mesh.ISTIO, 'platform');
    const team = new TeamNamespace(c, 'payments', {
      members: [TeamMember.group('team-payments'), TeamMember.user("o'neil"), TeamMember.serviceAccount('deployer', 'ci')],
      quota: { pods: 10 }, namespace: { cni: true },
    });
    const sidecar = new Sidecar(c, 'egress', { name: 'default', namespace: 'payments', egress: [{ hosts: ['./*', 'istio-system/*'] }] });
    team.protect(sidecar);
    const out = batch.add('team-protection', Testing.synth(c));
    const owned = out.filter((o) => o.metadata.labels?.['mesh.cdk8s.io/platform-owned'] === 'true').map((o) => `${o.kind}/${o.metadata.name}`);
    expect(owned).toEqual(['PeerAuthentication/default', 'AuthorizationPolicy/allow-nothing', 'NetworkPolicy/default-deny', 'Sidecar/default']);
    const [vap] = ofKind(out, 'ValidatingAdmissionPolicy');
    expect(vap.apiVersion).toBe('admissionregistration.k8s.io/v1');
    expect(vap.metadata).toEqual({ name: 'payments-platform-owned' });
    expect(vap.spec.matchConstraints).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } },
      objectSelector: { matchLabels: { 'mesh.cdk8s.io/platform-owned': 'true' } },
      resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: ['UPDATE', 'DELETE'] }],
    });
    expect(vap.spec.matchConditions).toEqual([{
      name: 'team-member',
      expression: "request.userInfo.username in ['o\\'neil', 'system:serviceaccount:ci:deployer'] || (has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ['team-payments']))",
    }]);
    expect(vap.spec.validations[0]).toMatchObject({ expression: 'false', reason: 'Forbidden' });
    expect(ofKind(out, 'ValidatingAdmissionPolicyBinding')).toEqual([{
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'payments-platform-owned' }, spec: { policyName: 'payments-platform-owned', validationActions: ['Deny'] },
    }]);
    expect(() => team.protect(new Construct(c, 'nothing'))).toThrow(/payments: target must be a Kubernetes object or an L2 wrapping one/);
  });

  test('Linkerd and Cilium teams get their kinds; PeerAuthentication only when allowed', () => {
    const l = meshChart(Mesh.LINKERD);
    new TeamNamespace(l, 'books', { members: [TeamMember.user('ann@example.com')], quota: { pods: 20 }, namespace: { migration: MtlsMigration.stage(MtlsMode.PERMISSIVE) } });
    const lr = ofKind(batch.add('team-linkerd', Testing.synth(l)), 'Role')[0].rules.map((r: any) => r.apiGroups[0]);
    expect(lr).toEqual(expect.arrayContaining(['policy.linkerd.io', 'gateway.networking.k8s.io']));
    const cc = meshChart(Mesh.CILIUM);
    new TeamNamespace(cc, 'shop', { members: [TeamMember.group('shop')], quota: { pods: 20 } });
    expect(ofKind(batch.add('team-cilium', Testing.synth(cc)), 'Role')[0].rules.map((r: any) => r.apiGroups[0])).toContain('cilium.io');
    const i = meshChart();
    new TeamNamespace(i, 'sec', { members: [TeamMember.group('sec')], quota: { pods: 5 }, allowPeerAuthentication: true });
    const ir = ofKind(Testing.synth(i), 'Role')[0].rules.find((r: any) => r.apiGroups[0] === 'security.istio.io');
    expect(ir.resources).toContain('peerauthentications');
  });

  test('validation', () => {
    const c = meshChart();
    expect(() => new TeamNamespace(c, 'a', { members: ['team-a' as any], quota: { pods: 1 } })).toThrow(/a: members must list TeamMembers, got \["team-a"\]/);
    expect(() => new TeamNamespace(c, 'b', { members: [TeamMember.group('x')], quota: {} })).toThrow(/quota sets no limit/);
    expect(() => new TeamNamespace(c, 'd', { members: [TeamMember.group('x')], quota: { requestsCpu: 'lots' } })).toThrow(/quota.requestsCpu must be a Kubernetes quantity, got "lots"/);
    expect(() => new TeamNamespace(c, 'e', { members: [TeamMember.group('x')], quota: { pods: 0 } })).toThrow(/quota.pods must be a positive whole number/);
    expect(() => TeamMember.group('')).toThrow(/must be a non-empty string/);
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThanOrEqual(5);
  expect(batch.problems()).toEqual([]);
});
