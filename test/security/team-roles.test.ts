import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Mesh } from '../../src/core/mesh';
import { RbacVerb, RoleResource, RoleRule, TeamMember, TeamNamespace } from '../../src/security';
import { meshChart, ofKind } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();
const OWNED = 'mesh.cdk8s.io/platform-owned';
const owned = (out: any[]) => out.filter((o) => o.metadata.labels?.[OWNED] === 'true').map((o) => `${o.kind}/${o.metadata.name}`);
const names = (out: any[], kind: string) => ofKind(out, kind).map((o: any) => o.metadata.name);

describe('TeamNamespace parts that can be left out', () => {
  test('without members: no editor Role or RoleBinding, and no protection policy (nobody may write)', () => {
    const c = meshChart(Mesh.ISTIO, 'platform');
    const team = new TeamNamespace(c, 'payments', { quota: { pods: 10 } });
    const out = batch.add('team-no-members', Testing.synth(c));
    expect(names(out, 'Role')).toEqual([]);
    expect(names(out, 'RoleBinding')).toEqual([]);
    expect(ofKind(out, 'ValidatingAdmissionPolicy')).toEqual([]);
    expect(ofKind(out, 'ValidatingAdmissionPolicyBinding')).toEqual([]);
    expect(team.role).toBeUndefined();
    expect(team.protectionPolicy).toBeUndefined();
    // the baseline stays marked: a Role added later that writes brings the policy with it
    expect(owned(out)).toEqual(['PeerAuthentication/default', 'AuthorizationPolicy/allow-nothing', 'NetworkPolicy/default-deny']);
    expect(out).toMatchSnapshot();
  });

  test('denyByDefault: false renders no allow-nothing nor default-deny, and protects only what is rendered', () => {
    const c = meshChart(Mesh.ISTIO, 'platform');
    new TeamNamespace(c, 'payments', { members: [TeamMember.group('team-payments')], quota: { pods: 10 }, namespace: { denyByDefault: false } });
    const out = batch.add('team-allow-by-default', Testing.synth(c));
    expect(names(out, 'AuthorizationPolicy')).toEqual([]);
    expect(names(out, 'NetworkPolicy')).toEqual([]);
    expect(owned(out)).toEqual(['PeerAuthentication/default']);
    expect(names(out, 'ValidatingAdmissionPolicy')).toEqual(['payments-platform-owned']);
    expect(out).toMatchSnapshot();
  });

  test('networkPolicies: false keeps allow-nothing but renders no default-deny NetworkPolicy', () => {
    const c = meshChart(Mesh.ISTIO, 'platform');
    new TeamNamespace(c, 'payments', { members: [TeamMember.group('team-payments')], quota: { pods: 10 }, namespace: { networkPolicies: false } });
    const out = batch.add('team-no-network-policy', Testing.synth(c));
    expect(names(out, 'NetworkPolicy')).toEqual([]);
    expect(owned(out)).toEqual(['PeerAuthentication/default', 'AuthorizationPolicy/allow-nothing']);
    expect(out).toMatchSnapshot();
  });
});

describe('TeamNamespace read-only and custom Roles', () => {
  test('readers get <ns>-reader: get/list/watch on every kind the editor covers, and no protection of their own', () => {
    const c = meshChart(Mesh.ISTIO, 'platform');
    const team = new TeamNamespace(c, 'payments', { readers: [TeamMember.group('auditors'), TeamMember.user('ann@example.com')], quota: { pods: 10 } });
    const out = batch.add('team-readers', Testing.synth(c));
    const [role] = ofKind(out, 'Role');
    expect(role.metadata).toEqual({ name: 'payments-reader', namespace: 'payments' });
    expect(role.rules.every((r: any) => JSON.stringify(r.verbs) === '["get","list","watch"]')).toBe(true);
    const groups = Object.fromEntries(role.rules.map((r: any) => [r.apiGroups[0], r.resources]));
    expect(groups['networking.istio.io']).toEqual(['destinationrules', 'serviceentries', 'sidecars', 'virtualservices']);
    expect(groups['security.istio.io']).toEqual(['authorizationpolicies', 'peerauthentications', 'requestauthentications']);
    const [binding] = ofKind(out, 'RoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'payments-reader' });
    expect(binding.subjects).toEqual([
      { kind: 'Group', name: 'auditors', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'User', name: 'ann@example.com', apiGroup: 'rbac.authorization.k8s.io' },
    ]);
    expect(team.readerRole?.name).toBe('payments-reader');
    expect(ofKind(out, 'ValidatingAdmissionPolicy')).toEqual([]);
    expect(out).toMatchSnapshot();
  });

  test('addRole renders typed rules (one PolicyRule per API group) and its binding; writers join the protection', () => {
    const c = meshChart(Mesh.LINKERD, 'platform');
    const team = new TeamNamespace(c, 'books', { members: [TeamMember.group('books')], quota: { pods: 10 } });
    team.addRole({
      name: 'deployer',
      rules: [
        RoleRule.allow([RoleResource.DEPLOYMENTS, RoleResource.of('argoproj.io', 'rollouts'), RoleResource.STATEFUL_SETS], [RbacVerb.GET, RbacVerb.PATCH, RbacVerb.PATCH]),
        RoleRule.readOnly(RoleResource.PODS, RoleResource.POD_LOGS),
      ],
      subjects: [TeamMember.serviceAccount('deployer', 'ci'), TeamMember.group('books')],
    });
    team.addRole({ name: 'watcher', rules: [RoleRule.readOnly(RoleResource.HTTP_ROUTES)], subjects: [TeamMember.user('bob@example.com')] });
    const out = batch.add('team-custom-roles', Testing.synth(c));
    expect(names(out, 'Role')).toEqual(['books-editor', 'deployer', 'watcher']);
    expect(ofKind(out, 'Role')[1].rules).toEqual([
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'patch'] },
      { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'patch'] },
      { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
    ]);
    const binding = ofKind(out, 'RoleBinding').find((b: any) => b.metadata.name === 'deployer');
    expect(binding.roleRef.name).toBe('deployer');
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' },
      { kind: 'Group', name: 'books', apiGroup: 'rbac.authorization.k8s.io' },
    ]);
    // the deployer may patch, so it is refused changes to the baseline; the read-only watcher is not listed
    expect(ofKind(out, 'ValidatingAdmissionPolicy')[0].spec.matchConditions[0].expression).toBe(
      "request.userInfo.username in ['system:serviceaccount:ci:deployer'] || (has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ['books']))",
    );
    expect(out).toMatchSnapshot();
  });

  test('a writing custom Role in a namespace without members brings the protection policy', () => {
    const c = meshChart(Mesh.ISTIO, 'platform');
    const team = new TeamNamespace(c, 'payments', { quota: { pods: 10 } });
    team.addRole({ name: 'netops', rules: [RoleRule.allow([RoleResource.NETWORK_POLICIES], [RbacVerb.DELETE])], subjects: [TeamMember.group('netops')] });
    const out = batch.add('team-custom-writer', Testing.synth(c));
    const [vap] = ofKind(out, 'ValidatingAdmissionPolicy');
    expect(vap.spec.matchConditions[0].expression).toBe("(has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ['netops']))");
    expect(team.protectionBinding?.name).toBe('payments-platform-owned');
  });

  test('validation and name collisions', () => {
    const c = meshChart(Mesh.ISTIO, 'platform');
    const team = new TeamNamespace(c, 'payments', { members: [TeamMember.group('p')], readers: [TeamMember.group('r')], quota: { pods: 10 } });
    const rules = [RoleRule.readOnly(RoleResource.SERVICES)];
    const subjects = [TeamMember.group('x')];
    expect(() => team.addRole({ name: 'payments-editor', rules, subjects })).toThrow(/payments: roles\["payments-editor"\].name is already a Role of this namespace/);
    expect(() => team.addRole({ name: 'payments-reader', rules, subjects })).toThrow(/is already a Role of this namespace/);
    team.addRole({ name: 'x', rules, subjects });
    expect(() => team.addRole({ name: 'x', rules, subjects })).toThrow(/roles\["x"\].name is already a Role of this namespace/);
    expect(() => team.addRole({ name: 'Bad_Name', rules, subjects })).toThrow(/roles\["Bad_Name"\].name must be a DNS subdomain/);
    expect(() => team.addRole({ name: 'y', rules: [], subjects })).toThrow(/roles\["y"\].rules must list at least one RoleRule/);
    expect(() => team.addRole({ name: 'y', rules, subjects: [] })).toThrow(/roles\["y"\].subjects must list at least one TeamMember, got \[\]/);
    expect(() => new TeamNamespace(c, 'q', { readers: [{ kind: 'Group', name: 'r' } as any], quota: { pods: 1 } })).toThrow(/q: readers must list TeamMembers/);
    expect(() => RoleResource.of('apps', '*')).toThrow(/RoleResource.of: resource must be a lower-case plural resource name .*got "\*"/);
    expect(() => RoleResource.of('Apps/v1', 'deployments')).toThrow(/apiGroup must be an API group such as "apps"/);
    expect(() => RoleRule.allow([], [RbacVerb.GET])).toThrow(/RoleRule.allow: resources must list at least one RoleResource/);
    expect(() => RoleRule.allow([RoleResource.PODS], [])).toThrow(/verbs must list at least one RbacVerb/);
    expect(() => RoleRule.allow([RoleResource.PODS], ['*' as RbacVerb])).toThrow(/verbs must list at least one RbacVerb, got \["\*"\]/);
  });

  test('a custom Role colliding with another object of its kind and namespace fails the app-wide check, naming both', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform');
    const team = new TeamNamespace(chart, 'payments', { members: [TeamMember.group('p')], quota: { pods: 10 } });
    team.addRole({ name: 'deployer', rules: [RoleRule.readOnly(RoleResource.PODS)], subjects: [TeamMember.group('x')] });
    new k8s.KubeRole(chart, 'legacy-deployer', { metadata: { name: 'deployer', namespace: 'payments' }, rules: [] });
    expect(() => app.synth()).toThrow(/deployer[\s\S]*platform\/payments\/Custom-deployerRole[\s\S]*platform\/legacy-deployer|platform\/legacy-deployer[\s\S]*platform\/payments\/Custom-deployerRole/);
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThanOrEqual(6);
  expect(batch.problems()).toEqual([]);
});
