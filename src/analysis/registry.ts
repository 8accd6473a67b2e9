import { IAnalyzer } from './analyzer';
import { conflictingGatewaysAnalyzer } from './checks/conflicting-gateways';
import { conflictingMeshHostsAnalyzer } from './checks/conflicting-mesh-hosts';
import { destinationHostAnalyzer } from './checks/destination-host';
import { destinationPortAnalyzer } from './checks/destination-port';
import { destinationRuleCaAnalyzer } from './checks/destination-rule-ca';
import { destinationSubsetAnalyzer } from './checks/destination-subset';
import { duplicateObjectsAnalyzer } from './checks/duplicate-objects';
import { gatewayCredentialsAnalyzer } from './checks/gateway-credentials';
import { gatewayHostAnalyzer } from './checks/gateway-host';
import { gatewayPortsAnalyzer } from './checks/gateway-ports';
import { gatewayReferenceAnalyzer } from './checks/gateway-reference';
import { gatewaySelectsPodsAnalyzer } from './checks/gateway-selects-pods';
import { httpRouteBackendsAnalyzer } from './checks/http-route-backends';
import { internalGatewayReferenceAnalyzer } from './checks/internal-gateway-reference';
import { jwtClaimRoutingAnalyzer } from './checks/jwt-claim-routing';
import { policyWorkloadsAnalyzer } from './checks/policy-workloads';
import { portNameAnalyzer } from './checks/port-name';
import { resilienceSettingsAnalyzer } from './checks/resilience-settings';
import { routeWeightsAnalyzer } from './checks/route-weights';
import { subsetPodsAnalyzer } from './checks/subset-pods';
import { unreachableRoutesAnalyzer } from './checks/unreachable-routes';
import { authorizationReferencesAnalyzer } from './checks/authorization-references';
import { mtlsConflictsAnalyzer } from './checks/mtls-conflicts';
import { podSecurityAnalyzer } from './checks/pod-security';
import { ciliumL7VoidedAnalyzer } from './checks/cilium-l7-voided';
import { retryAmplificationAnalyzer } from './checks/retry-amplification';

/** Every analyzer `analyze()` runs. Add a check by appending it here. */
export const ANALYZERS: IAnalyzer[] = [
  destinationSubsetAnalyzer,
  destinationHostAnalyzer,
  destinationPortAnalyzer,
  gatewayReferenceAnalyzer,
  gatewayHostAnalyzer,
  internalGatewayReferenceAnalyzer,
  conflictingMeshHostsAnalyzer,
  portNameAnalyzer,
  subsetPodsAnalyzer,
  policyWorkloadsAnalyzer,
  routeWeightsAnalyzer,
  httpRouteBackendsAnalyzer,
  unreachableRoutesAnalyzer,
  conflictingGatewaysAnalyzer,
  gatewaySelectsPodsAnalyzer,
  gatewayPortsAnalyzer,
  gatewayCredentialsAnalyzer,
  destinationRuleCaAnalyzer,
  jwtClaimRoutingAnalyzer,
  resilienceSettingsAnalyzer,
  authorizationReferencesAnalyzer,
  mtlsConflictsAnalyzer,
  podSecurityAnalyzer,
  duplicateObjectsAnalyzer,
  ciliumL7VoidedAnalyzer,
  retryAmplificationAnalyzer,
];
