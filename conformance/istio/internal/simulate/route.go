package simulate

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	fault "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/fault/v3"
	matcher "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"
)

// request is an HTTP request as Envoy's matchers see it: pseudo-headers included, names lower-case.
type request struct {
	path    string // without the query string
	query   url.Values
	headers map[string]string
}

func newRequest(r Request, authority string) request {
	rawPath, rawQuery, _ := strings.Cut(orDefault(r.Path, "/"), "?")
	q, _ := url.ParseQuery(rawQuery)
	h := map[string]string{}
	for k, v := range r.Headers {
		h[strings.ToLower(k)] = v
	}
	h[":method"] = strings.ToUpper(orDefault(r.Method, "GET"))
	h[":path"] = orDefault(r.Path, "/")
	h[":authority"] = authority
	return request{path: rawPath, query: q, headers: h}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// matchRoute returns the first route of the virtual host that matches the request, as Envoy does.
// pilot/pkg/simulation matches paths only, so header, method and query routes are matched here.
func matchRoute(vh *route.VirtualHost, req request) (*route.Route, error) {
	for _, r := range vh.GetRoutes() {
		ok, err := routeMatches(r.GetMatch(), req)
		if err != nil {
			return nil, fmt.Errorf("route %q: %v", r.GetName(), err)
		}
		if ok {
			return r, nil
		}
	}
	return nil, nil
}

func routeMatches(m *route.RouteMatch, req request) (bool, error) {
	caseSensitive := m.GetCaseSensitive() == nil || m.GetCaseSensitive().GetValue()
	path := req.path
	fold := func(s string) string {
		if caseSensitive {
			return s
		}
		return strings.ToLower(s)
	}
	switch p := m.GetPathSpecifier().(type) {
	case *route.RouteMatch_Prefix:
		if !strings.HasPrefix(fold(path), fold(p.Prefix)) {
			return false, nil
		}
	case *route.RouteMatch_PathSeparatedPrefix:
		pre := fold(p.PathSeparatedPrefix)
		if fp := fold(path); fp != pre && !strings.HasPrefix(fp, pre+"/") {
			return false, nil
		}
	case *route.RouteMatch_Path:
		if fold(path) != fold(p.Path) {
			return false, nil
		}
	case *route.RouteMatch_SafeRegex:
		ok, err := fullMatch(p.SafeRegex.GetRegex(), path)
		if err != nil || !ok {
			return false, err
		}
	default:
		return false, fmt.Errorf("path matcher %T is not supported", p)
	}
	for _, h := range m.GetHeaders() {
		ok, err := headerMatches(h, req.headers)
		if err != nil || !ok {
			return false, err
		}
	}
	for _, q := range m.GetQueryParameters() {
		ok, err := queryMatches(q, req.query)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func headerMatches(h *route.HeaderMatcher, headers map[string]string) (bool, error) {
	v, present := headers[strings.ToLower(h.GetName())]
	if !present && h.GetTreatMissingHeaderAsEmpty() {
		v, present = "", true
	}
	var ok bool
	var err error
	switch s := h.GetHeaderMatchSpecifier().(type) {
	case nil:
		ok = present
	case *route.HeaderMatcher_PresentMatch:
		ok = present == s.PresentMatch
		if !present {
			// Envoy: a missing header with present_match false matches; invert still applies below.
			return ok != h.GetInvertMatch(), nil
		}
	case *route.HeaderMatcher_StringMatch:
		ok = present
		if present {
			ok, err = stringMatches(s.StringMatch, v)
		}
	case *route.HeaderMatcher_ExactMatch:
		ok = present && v == s.ExactMatch
	case *route.HeaderMatcher_PrefixMatch:
		ok = present && strings.HasPrefix(v, s.PrefixMatch)
	case *route.HeaderMatcher_SuffixMatch:
		ok = present && strings.HasSuffix(v, s.SuffixMatch)
	case *route.HeaderMatcher_ContainsMatch:
		ok = present && strings.Contains(v, s.ContainsMatch)
	case *route.HeaderMatcher_SafeRegexMatch:
		ok = present
		if present {
			ok, err = fullMatch(s.SafeRegexMatch.GetRegex(), v)
		}
	default:
		return false, fmt.Errorf("header matcher %T is not supported", s)
	}
	if err != nil {
		return false, err
	}
	if !present {
		// Envoy never matches a missing header, inverted or not (unless treated as empty).
		return false, nil
	}
	return ok != h.GetInvertMatch(), nil
}

func queryMatches(q *route.QueryParameterMatcher, query url.Values) (bool, error) {
	vs, present := query[q.GetName()]
	switch s := q.GetQueryParameterMatchSpecifier().(type) {
	case *route.QueryParameterMatcher_PresentMatch:
		return present == s.PresentMatch, nil
	case *route.QueryParameterMatcher_StringMatch:
		if !present {
			return false, nil
		}
		return stringMatches(s.StringMatch, vs[0])
	case nil:
		return present, nil
	default:
		return false, fmt.Errorf("query matcher %T is not supported", s)
	}
}

func stringMatches(m *matcher.StringMatcher, v string) (bool, error) {
	fold := func(s string) string {
		if m.GetIgnoreCase() {
			return strings.ToLower(s)
		}
		return s
	}
	switch p := m.GetMatchPattern().(type) {
	case *matcher.StringMatcher_Exact:
		return fold(v) == fold(p.Exact), nil
	case *matcher.StringMatcher_Prefix:
		return strings.HasPrefix(fold(v), fold(p.Prefix)), nil
	case *matcher.StringMatcher_Suffix:
		return strings.HasSuffix(fold(v), fold(p.Suffix)), nil
	case *matcher.StringMatcher_Contains:
		return strings.Contains(fold(v), fold(p.Contains)), nil
	case *matcher.StringMatcher_SafeRegex:
		return fullMatch(p.SafeRegex.GetRegex(), v)
	default:
		return false, fmt.Errorf("string matcher %T is not supported", p)
	}
}

// fullMatch matches an RE2 regex against the whole value, as Envoy's safe_regex does.
func fullMatch(re, v string) (bool, error) {
	r, err := regexp.Compile("^(?:" + re + ")$")
	if err != nil {
		return false, fmt.Errorf("regex %q: %v", re, err)
	}
	return r.MatchString(v), nil
}

// applyAction fills the outcome from the route's action: where it sends the request (cluster or
// weighted clusters, upstream path after rewrite, mirrors, timeout), or the redirect or direct
// response it answers with.
func applyAction(r *route.Route, req request, out *Outcome) error {
	out.Route = r.GetName()
	switch a := r.GetAction().(type) {
	case *route.Route_Route:
		ra := a.Route
		switch c := ra.GetClusterSpecifier().(type) {
		case *route.RouteAction_Cluster:
			out.Cluster = c.Cluster
		case *route.RouteAction_WeightedClusters:
			out.Weights = map[string]uint32{}
			for _, wc := range c.WeightedClusters.GetClusters() {
				out.Weights[wc.GetName()] = wc.GetWeight().GetValue()
			}
		default:
			return fmt.Errorf("cluster specifier %T is not supported", c)
		}
		p, err := upstreamPath(r.GetMatch(), ra, req.path)
		if err != nil {
			return err
		}
		out.Path = p
		for _, m := range ra.GetRequestMirrorPolicies() {
			if out.Mirrors == nil {
				out.Mirrors = map[string]float64{}
			}
			pct := 100.0
			if f := m.GetRuntimeFraction(); f != nil {
				pct = fractionPercent(f.GetDefaultValue())
			}
			out.Mirrors[m.GetCluster()] = pct
		}
		if t := ra.GetTimeout(); t != nil {
			out.Timeout = t.AsDuration().String()
		}
		out.Status = 200
	case *route.Route_Redirect:
		out.Status = redirectStatus(a.Redirect.GetResponseCode())
		out.Redirect = redirectLocation(a.Redirect, req)
	case *route.Route_DirectResponse:
		out.Status = int(a.DirectResponse.GetStatus())
	default:
		return fmt.Errorf("route action %T is not supported", a)
	}
	if cfg := r.GetTypedPerFilterConfig()["envoy.filters.http.fault"]; cfg != nil {
		f := &fault.HTTPFault{}
		if err := cfg.UnmarshalTo(f); err != nil {
			return fmt.Errorf("fault config: %v", err)
		}
		out.Fault = faultOf(f)
	}
	return nil
}

// upstreamPath applies Envoy's prefix_rewrite (which swaps the matched prefix, or the whole path
// for an exact match) or regex_rewrite to the request path.
func upstreamPath(m *route.RouteMatch, ra *route.RouteAction, path string) (string, error) {
	if rx := ra.GetRegexRewrite(); rx != nil {
		re, err := regexp.Compile(rx.GetPattern().GetRegex())
		if err != nil {
			return "", fmt.Errorf("regex_rewrite %q: %v", rx.GetPattern().GetRegex(), err)
		}
		return re.ReplaceAllString(path, envoySubstitution(rx.GetSubstitution())), nil
	}
	pre := ra.GetPrefixRewrite()
	if pre == "" {
		return path, nil
	}
	switch p := m.GetPathSpecifier().(type) {
	case *route.RouteMatch_Prefix:
		return pre + path[len(p.Prefix):], nil
	case *route.RouteMatch_PathSeparatedPrefix:
		return pre + path[len(p.PathSeparatedPrefix):], nil
	case *route.RouteMatch_Path:
		return pre, nil
	default:
		return "", fmt.Errorf("prefix_rewrite after a %T match is not supported", p)
	}
}

var envoyGroupRef = regexp.MustCompile(`\\(\d)`)

// envoySubstitution turns Envoy's \1 capture references into Go's ${1}.
func envoySubstitution(s string) string {
	s = strings.ReplaceAll(s, "$", "$$")
	return envoyGroupRef.ReplaceAllString(s, "$${$1}")
}

func redirectStatus(c route.RedirectAction_RedirectResponseCode) int {
	switch c {
	case route.RedirectAction_FOUND:
		return 302
	case route.RedirectAction_SEE_OTHER:
		return 303
	case route.RedirectAction_TEMPORARY_REDIRECT:
		return 307
	case route.RedirectAction_PERMANENT_REDIRECT:
		return 308
	}
	return 301
}

func redirectLocation(r *route.RedirectAction, req request) string {
	scheme := "http"
	if r.GetHttpsRedirect() {
		scheme = "https"
	} else if s := r.GetSchemeRedirect(); s != "" {
		scheme = s
	}
	host := orDefault(r.GetHostRedirect(), req.headers[":authority"])
	if r.GetPortRedirect() != 0 {
		host = strings.Split(host, ":")[0] + ":" + strconv.Itoa(int(r.GetPortRedirect()))
	}
	path := req.path
	if p := r.GetPathRedirect(); p != "" {
		path = p
	}
	return scheme + "://" + host + path
}

func faultOf(f *fault.HTTPFault) *Fault {
	out := &Fault{}
	if a := f.GetAbort(); a != nil {
		out.AbortStatus = int(a.GetHttpStatus())
		p := fractionPercent(a.GetPercentage())
		out.AbortPercent = &p
	}
	if d := f.GetDelay(); d != nil {
		out.Delay = d.GetFixedDelay().AsDuration().String()
		p := fractionPercent(d.GetPercentage())
		out.DelayPercent = &p
	}
	return out
}

func fractionPercent(f *typev3.FractionalPercent) float64 {
	if f == nil {
		return 100
	}
	n := float64(f.GetNumerator())
	switch f.GetDenominator() {
	case typev3.FractionalPercent_TEN_THOUSAND:
		return n / 100
	case typev3.FractionalPercent_MILLION:
		return n / 10000
	}
	return n
}
