import { Mesh } from '../../core/mesh';
import { NetworkPeer, NetworkPolicyRule, NetworkProtocol } from './network-policy';

/** Egress every pod needs under a default-deny NetworkPolicy: DNS, and the mesh control plane for sidecars. */
export function baselineEgress(mesh: Mesh): NetworkPolicyRule[] {
  const rules: NetworkPolicyRule[] = [{
    peers: [NetworkPeer.pods({ 'k8s-app': 'kube-dns' }, { namespace: 'kube-system' })],
    ports: [{ port: 53, protocol: NetworkProtocol.UDP }, { port: 53, protocol: NetworkProtocol.TCP }],
  }];
  if (mesh === Mesh.ISTIO) {
    // sidecars fetch config and certificates from istiod (xDS + CA on 15012)
    rules.push({ peers: [NetworkPeer.pods({ app: 'istiod' }, { namespace: 'istio-system' })], ports: [{ port: 15012 }] });
  } else if (mesh === Mesh.LINKERD) {
    // proxies talk to identity (8080), destination (8086) and policy (8090) in the linkerd namespace
    rules.push({ peers: [NetworkPeer.namespace('linkerd')], ports: [{ port: 8080 }, { port: 8086 }, { port: 8090 }] });
  }
  return rules;
}
