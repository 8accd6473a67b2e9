package simulate

import (
	"testing"

	rbac "github.com/envoyproxy/go-control-plane/envoy/config/rbac/v3"
	rbachttp "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/rbac/v3"
	hcm "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	matcher "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	"google.golang.org/protobuf/types/known/anypb"
)

func rbacFilter(t *testing.T, action rbac.RBAC_Action, policies map[string]*rbac.Policy) *hcm.HttpFilter {
	cfg, err := anypb.New(&rbachttp.RBAC{Rules: &rbac.RBAC{Action: action, Policies: policies}})
	if err != nil {
		t.Fatal(err)
	}
	return &hcm.HttpFilter{Name: "envoy.filters.http.rbac", ConfigType: &hcm.HttpFilter_TypedConfig{TypedConfig: cfg}}
}

func principalIs(id string) *rbac.Principal {
	return &rbac.Principal{Identifier: &rbac.Principal_FilterState{FilterState: &matcher.FilterStateMatcher{
		Key:     "io.istio.peer_principal",
		Matcher: &matcher.FilterStateMatcher_StringMatch{StringMatch: &matcher.StringMatcher{MatchPattern: &matcher.StringMatcher_Exact{Exact: id}}},
	}}}
}

func getOnly() *rbac.Permission {
	return &rbac.Permission{Rule: &rbac.Permission_Header{Header: exactHeader(":method", "GET")}}
}

func TestAuthorizeAllowAndDeny(t *testing.T) {
	pp := "spiffe://cluster.local/ns/prod/sa/productpage"
	h := &hcm.HttpConnectionManager{HttpFilters: []*hcm.HttpFilter{
		rbacFilter(t, rbac.RBAC_DENY, map[string]*rbac.Policy{
			"deny-admin": {
				Permissions: []*rbac.Permission{{Rule: &rbac.Permission_UrlPath{UrlPath: &matcher.PathMatcher{Rule: &matcher.PathMatcher_Path{
					Path: &matcher.StringMatcher{MatchPattern: &matcher.StringMatcher_Prefix{Prefix: "/admin"}},
				}}}}},
				Principals: []*rbac.Principal{{Identifier: &rbac.Principal_Any{Any: true}}},
			},
		}),
		rbacFilter(t, rbac.RBAC_ALLOW, map[string]*rbac.Policy{
			"productpage": {Permissions: []*rbac.Permission{getOnly()}, Principals: []*rbac.Principal{principalIs(pp)}},
		}),
		{Name: "envoy.filters.http.router"},
	}}
	cases := map[string]struct {
		p      peer
		denied bool
	}{
		"allowed caller":   {peer{principal: pp, req: newRequest(Request{Path: "/details/1"}, "d")}, false},
		"wrong method":     {peer{principal: pp, req: newRequest(Request{Path: "/details/1", Method: "POST"}, "d")}, true},
		"other caller":     {peer{principal: "spiffe://cluster.local/ns/prod/sa/reviews", req: newRequest(Request{}, "d")}, true},
		"plaintext caller": {peer{req: newRequest(Request{}, "d")}, true},
		"deny wins":        {peer{principal: pp, req: newRequest(Request{Path: "/admin/x"}, "d")}, true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			denied, err := authorize(h, c.p)
			if err != nil || (denied != "") != c.denied {
				t.Fatalf("want denied=%v, got %q (%v)", c.denied, denied, err)
			}
		})
	}
}

func TestAuthorizeAllowNothingDeniesAll(t *testing.T) {
	h := &hcm.HttpConnectionManager{HttpFilters: []*hcm.HttpFilter{rbacFilter(t, rbac.RBAC_ALLOW, nil)}}
	if denied, _ := authorize(h, peer{principal: "spiffe://x", req: newRequest(Request{}, "h")}); denied == "" {
		t.Fatal("an ALLOW filter without policies must deny")
	}
}

func TestAuthorizeRefusesWhatItCannotEvaluate(t *testing.T) {
	h := &hcm.HttpConnectionManager{HttpFilters: []*hcm.HttpFilter{rbacFilter(t, rbac.RBAC_ALLOW, map[string]*rbac.Policy{
		"jwt": {
			Permissions: []*rbac.Permission{{Rule: &rbac.Permission_Any{Any: true}}},
			Principals:  []*rbac.Principal{{Identifier: &rbac.Principal_Metadata{Metadata: &matcher.MetadataMatcher{Filter: "istio_authn"}}}},
		},
	})}}
	if _, err := authorize(h, peer{req: newRequest(Request{}, "h")}); err == nil {
		t.Fatal("want an error for a metadata principal")
	}
}
