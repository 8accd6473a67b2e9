package simulate

import (
	"testing"

	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	matcher "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

func prefixRoute(name, prefix string, headers ...*route.HeaderMatcher) *route.Route {
	return &route.Route{
		Name:  name,
		Match: &route.RouteMatch{PathSpecifier: &route.RouteMatch_Prefix{Prefix: prefix}, Headers: headers},
	}
}

func exactHeader(name, value string) *route.HeaderMatcher {
	return &route.HeaderMatcher{Name: name, HeaderMatchSpecifier: &route.HeaderMatcher_StringMatch{
		StringMatch: &matcher.StringMatcher{MatchPattern: &matcher.StringMatcher_Exact{Exact: value}},
	}}
}

func TestMatchRouteHonoursHeadersInOrder(t *testing.T) {
	vh := &route.VirtualHost{Routes: []*route.Route{
		prefixRoute("canary", "/", exactHeader("x-canary", "true")),
		prefixRoute("post", "/", exactHeader(":method", "POST")),
		prefixRoute("default", "/"),
	}}
	cases := map[string]struct {
		req  Request
		want string
	}{
		"header":       {Request{Headers: map[string]string{"X-Canary": "true"}}, "canary"},
		"other value":  {Request{Headers: map[string]string{"x-canary": "no"}}, "default"},
		"method":       {Request{Method: "post"}, "post"},
		"no header":    {Request{}, "default"},
		"path + query": {Request{Path: "/a?x=1"}, "default"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r, err := matchRoute(vh, newRequest(c.req, "h"))
			if err != nil || r == nil || r.GetName() != c.want {
				t.Fatalf("want route %q, got %v (%v)", c.want, r.GetName(), err)
			}
		})
	}
}

func TestMatchRouteQueryAndRegex(t *testing.T) {
	vh := &route.VirtualHost{Routes: []*route.Route{
		{Name: "preview", Match: &route.RouteMatch{
			PathSpecifier: &route.RouteMatch_Prefix{Prefix: "/"},
			QueryParameters: []*route.QueryParameterMatcher{{Name: "preview", QueryParameterMatchSpecifier: &route.QueryParameterMatcher_StringMatch{
				StringMatch: &matcher.StringMatcher{MatchPattern: &matcher.StringMatcher_Exact{Exact: "1"}},
			}}},
		}},
		{Name: "cookie", Match: &route.RouteMatch{
			PathSpecifier: &route.RouteMatch_Prefix{Prefix: "/"},
			Headers: []*route.HeaderMatcher{{Name: "cookie", HeaderMatchSpecifier: &route.HeaderMatcher_StringMatch{
				StringMatch: &matcher.StringMatcher{MatchPattern: &matcher.StringMatcher_SafeRegex{SafeRegex: &matcher.RegexMatcher{Regex: `(^|.*;\s*)g=a(;.*|$)`}}},
			}}},
		}},
		{Name: "exact", Match: &route.RouteMatch{PathSpecifier: &route.RouteMatch_Path{Path: "/login"}, CaseSensitive: wrapperspb.Bool(false)}},
	}}
	for _, c := range []struct {
		req  Request
		want string
	}{
		{Request{Path: "/x?preview=1"}, "preview"},
		{Request{Path: "/x", Headers: map[string]string{"cookie": "s=1; g=a"}}, "cookie"},
		{Request{Path: "/LOGIN"}, "exact"},
	} {
		r, err := matchRoute(vh, newRequest(c.req, "h"))
		if err != nil || r.GetName() != c.want {
			t.Errorf("%+v: want %q, got %q (%v)", c.req, c.want, r.GetName(), err)
		}
	}
	if r, _ := matchRoute(vh, newRequest(Request{Path: "/x?preview=0"}, "h")); r != nil {
		t.Errorf("want no route, got %q", r.GetName())
	}
}

// Envoy's prefix_rewrite swaps the matched prefix: rewriting /orders to / turns /orders/42 into
// //42, which is why the renderer must use a regex rewrite.
func TestUpstreamPathFollowsEnvoyRewrites(t *testing.T) {
	prefix := &route.RouteMatch{PathSpecifier: &route.RouteMatch_Prefix{Prefix: "/orders"}}
	cases := []struct {
		name   string
		match  *route.RouteMatch
		action *route.RouteAction
		path   string
		want   string
	}{
		{"no rewrite", prefix, &route.RouteAction{}, "/orders/42", "/orders/42"},
		{"prefix rewrite to /", prefix, &route.RouteAction{PrefixRewrite: "/"}, "/orders/42", "//42"},
		{"prefix rewrite to /v2", prefix, &route.RouteAction{PrefixRewrite: "/v2"}, "/orders/42", "/v2/42"},
		{"exact path rewrite", &route.RouteMatch{PathSpecifier: &route.RouteMatch_Path{Path: "/a"}}, &route.RouteAction{PrefixRewrite: "/b"}, "/a", "/b"},
		{"regex rewrite", prefix, &route.RouteAction{RegexRewrite: &matcher.RegexMatchAndSubstitute{
			Pattern: &matcher.RegexMatcher{Regex: `^/orders/?`}, Substitution: "/",
		}}, "/orders/42", "/42"},
		{"regex rewrite with a group", prefix, &route.RouteAction{RegexRewrite: &matcher.RegexMatchAndSubstitute{
			Pattern: &matcher.RegexMatcher{Regex: `^/orders(/.*)?$`}, Substitution: `/api\1`,
		}}, "/orders/42", "/api/42"},
	}
	for _, c := range cases {
		got, err := upstreamPath(c.match, c.action, c.path)
		if err != nil || got != c.want {
			t.Errorf("%s: want %q, got %q (%v)", c.name, c.want, got, err)
		}
	}
}
