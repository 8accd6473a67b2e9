package simulate

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	core "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	rbac "github.com/envoyproxy/go-control-plane/envoy/config/rbac/v3"
	rbachttp "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/rbac/v3"
	hcm "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
)

// peer is what Envoy's RBAC filter knows about the downstream connection and request.
type peer struct {
	// principal is the peer certificate's SPIFFE ID; empty for plaintext.
	principal string
	sourceIP  string
	destPort  int
	req       request
}

// authorize runs the HTTP connection manager's RBAC filters in order, as Envoy does, and returns
// the name of the filter that denied the request, or "" when all of them let it through.
// Istio renders DENY policies, then ALLOW policies, each as one RBAC filter; shadow rules only log.
func authorize(h *hcm.HttpConnectionManager, p peer) (string, error) {
	for _, f := range h.GetHttpFilters() {
		if f.GetName() != "envoy.filters.http.rbac" {
			continue
		}
		cfg := &rbachttp.RBAC{}
		if err := f.GetTypedConfig().UnmarshalTo(cfg); err != nil {
			return "", fmt.Errorf("rbac filter: %v", err)
		}
		rules := cfg.GetRules()
		if rules == nil {
			continue
		}
		matched, err := anyPolicyMatches(rules, p)
		if err != nil {
			return "", err
		}
		switch rules.GetAction() {
		case rbac.RBAC_ALLOW:
			if matched == "" {
				return "ALLOW policies (no policy matched)", nil
			}
		case rbac.RBAC_DENY:
			if matched != "" {
				return "DENY policy " + matched, nil
			}
		}
	}
	return "", nil
}

func anyPolicyMatches(rules *rbac.RBAC, p peer) (string, error) {
	names := make([]string, 0, len(rules.GetPolicies()))
	for name := range rules.GetPolicies() {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		pol := rules.GetPolicies()[name]
		if pol.GetCondition() != nil || pol.GetCelConfig() != nil {
			return "", fmt.Errorf("policy %q: CEL conditions are not supported", name)
		}
		perm, err := anyPermission(pol.GetPermissions(), p)
		if err != nil {
			return "", fmt.Errorf("policy %q: %v", name, err)
		}
		if !perm {
			continue
		}
		prin, err := anyPrincipal(pol.GetPrincipals(), p)
		if err != nil {
			return "", fmt.Errorf("policy %q: %v", name, err)
		}
		if prin {
			return name, nil
		}
	}
	return "", nil
}

func anyPermission(ps []*rbac.Permission, p peer) (bool, error) {
	for _, x := range ps {
		ok, err := permissionMatches(x, p)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func permissionMatches(x *rbac.Permission, p peer) (bool, error) {
	switch r := x.GetRule().(type) {
	case *rbac.Permission_Any:
		return r.Any, nil
	case *rbac.Permission_AndRules:
		for _, y := range r.AndRules.GetRules() {
			ok, err := permissionMatches(y, p)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case *rbac.Permission_OrRules:
		return anyPermission(r.OrRules.GetRules(), p)
	case *rbac.Permission_NotRule:
		ok, err := permissionMatches(r.NotRule, p)
		return !ok, err
	case *rbac.Permission_Header:
		return headerMatches(r.Header, p.req.headers)
	case *rbac.Permission_UrlPath:
		return stringMatches(r.UrlPath.GetPath(), p.req.path)
	case *rbac.Permission_DestinationPort:
		return int(r.DestinationPort) == p.destPort, nil
	case *rbac.Permission_DestinationPortRange:
		return int32(p.destPort) >= r.DestinationPortRange.GetStart() && int32(p.destPort) < r.DestinationPortRange.GetEnd(), nil
	default:
		return false, fmt.Errorf("permission %T is not supported", r)
	}
}

func anyPrincipal(ps []*rbac.Principal, p peer) (bool, error) {
	for _, x := range ps {
		ok, err := principalMatches(x, p)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func principalMatches(x *rbac.Principal, p peer) (bool, error) {
	switch r := x.GetIdentifier().(type) {
	case *rbac.Principal_Any:
		return r.Any, nil
	case *rbac.Principal_AndIds:
		for _, y := range r.AndIds.GetIds() {
			ok, err := principalMatches(y, p)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case *rbac.Principal_OrIds:
		return anyPrincipal(r.OrIds.GetIds(), p)
	case *rbac.Principal_NotId:
		ok, err := principalMatches(r.NotId, p)
		return !ok, err
	case *rbac.Principal_Authenticated_:
		if p.principal == "" {
			return false, nil
		}
		if r.Authenticated.GetPrincipalName() == nil {
			return true, nil
		}
		return stringMatches(r.Authenticated.GetPrincipalName(), p.principal)
	case *rbac.Principal_FilterState:
		// Istio's peer principal, set by its mTLS metadata exchange.
		if r.FilterState.GetKey() != "io.istio.peer_principal" || r.FilterState.GetStringMatch() == nil {
			return false, fmt.Errorf("filter state %q is not supported", r.FilterState.GetKey())
		}
		if p.principal == "" {
			return false, nil
		}
		return stringMatches(r.FilterState.GetStringMatch(), p.principal)
	case *rbac.Principal_Header:
		return headerMatches(r.Header, p.req.headers)
	case *rbac.Principal_UrlPath:
		return stringMatches(r.UrlPath.GetPath(), p.req.path)
	case *rbac.Principal_DirectRemoteIp:
		return inCidr(r.DirectRemoteIp, p.sourceIP)
	case *rbac.Principal_RemoteIp:
		return inCidr(r.RemoteIp, p.sourceIP)
	case *rbac.Principal_SourceIp:
		return inCidr(r.SourceIp, p.sourceIP)
	default:
		return false, fmt.Errorf("principal %T is not supported (e.g. JWT claims)", r)
	}
}

func inCidr(c *core.CidrRange, ip string) (bool, error) {
	pre, err := netip.ParsePrefix(fmt.Sprintf("%s/%d", c.GetAddressPrefix(), c.GetPrefixLen().GetValue()))
	if err != nil {
		return false, err
	}
	addr, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return false, nil
	}
	return pre.Contains(addr), nil
}
