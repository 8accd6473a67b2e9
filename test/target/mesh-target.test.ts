import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Mesh, useMesh } from '../../src/core/mesh';
import { MeshTarget, targetOf, useTarget } from '../../src/target/mesh-target';
import { GatewayApiChannel, GatewayApiVersion, IstioVersion, LinkerdVersion } from '../../src/target/versions';

describe('MeshTarget', () => {
  test('defaults to the newest supported releases', () => {
    const t = MeshTarget.of();
    expect([String(t.istio), String(t.gatewayApi), t.gatewayApiChannel, String(t.linkerd)]).toEqual(['1.30', 'v1.6', 'standard', '2.20']);
    expect(t.id).toBe(MeshTarget.LATEST.id);
    expect(MeshTarget.LATEST.toString()).toBe('Istio 1.30, Gateway API v1.6 (standard channel), Linkerd 2.20');
  });

  test('names each system on its own; the others stay the newest', () => {
    const t = MeshTarget.of({ istio: IstioVersion.V1_28, gatewayApi: GatewayApiVersion.V1_3 });
    expect(t.id).toBe('istio-1.28_gateway-api-v1.3-standard_linkerd-2.20');
    expect(t.with({ linkerd: LinkerdVersion.V2_18 }).id).toBe('istio-1.28_gateway-api-v1.3-standard_linkerd-2.18');
    expect(t.with({ gatewayApiChannel: GatewayApiChannel.EXPERIMENTAL }).gatewayApiChannel).toBe('experimental');
  });

  test('refuses what is not a supported release', () => {
    expect(() => MeshTarget.of({ istio: '1.28' as any })).toThrow(/MeshTarget\.of: istio is not a supported IstioVersion, got "1\.28"\. Fix: use one of IstioVersion\.V1_28, IstioVersion\.V1_29, IstioVersion\.V1_30/);
    expect(() => MeshTarget.of({ gatewayApi: IstioVersion.V1_28 as any })).toThrow(/gatewayApi is not a supported GatewayApiVersion, got a IstioVersion\. Fix: use one of GatewayApiVersion\.V1_2, .*GatewayApiVersion\.V1_6/);
    expect(() => MeshTarget.of({ gatewayApiChannel: 'beta' as any })).toThrow(/gatewayApiChannel is not a channel, got "beta"/);
  });

  test('versions compare within a system', () => {
    expect(GatewayApiVersion.V1_4.isAtLeast(GatewayApiVersion.V1_3)).toBe(true);
    expect(GatewayApiVersion.V1_3.isAtLeast(GatewayApiVersion.V1_4)).toBe(false);
    expect(IstioVersion.V1_28.label).toBe('Istio 1.28');
    expect(GatewayApiVersion.SUPPORTED.map(String)).toEqual(['v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6']);
    fc.assert(fc.property(fc.constantFrom(...GatewayApiVersion.SUPPORTED), fc.constantFrom(...GatewayApiVersion.SUPPORTED), (a, b) =>
      a.isAtLeast(b) === GatewayApiVersion.SUPPORTED.indexOf(a) >= GatewayApiVersion.SUPPORTED.indexOf(b)));
  });
});

describe('useMesh / useTarget', () => {
  test('a chart inherits the app target and can set its own', () => {
    const app: App = Testing.app();
    const old = MeshTarget.of({ gatewayApi: GatewayApiVersion.V1_2 });
    useMesh(app, Mesh.ISTIO, { target: old });
    const inherits = new Chart(app, 'a');
    const own = new Chart(app, 'b');
    useTarget(own, MeshTarget.LATEST);
    expect(targetOf(inherits)).toBe(old);
    expect(targetOf(own)).toBe(MeshTarget.LATEST);
  });

  test('without a target: the newest releases', () => {
    expect(targetOf(new Chart(Testing.app(), 'c'))).toBe(MeshTarget.LATEST);
  });

  test('refuses a target that is not a MeshTarget', () => {
    expect(() => useMesh(Testing.app(), Mesh.ISTIO, { target: { istio: '1.28' } as any })).toThrow(/target must be a MeshTarget, got \{"istio":"1\.28"\}/);
    const app = Testing.app();
    app.node.setContext('cdk8s-mesh:target', 'v1.2');
    expect(() => targetOf(app)).toThrow(/context cdk8s-mesh:target must be a MeshTarget, got "v1\.2"/);
  });
});
