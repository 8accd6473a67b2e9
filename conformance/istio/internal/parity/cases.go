// Package parity reads Istio's own analyzer test cases (the testGrid of
// pkg/config/analysis/analyzers/analyzers_test.go, parsed with go/parser from the module cache)
// and runs them through Istio's analyzers and ours.
package parity

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// AnalyzersDir is the analyzers package inside the istio.io/istio module.
const AnalyzersDir = "pkg/config/analysis/analyzers"

// Expected is one message a test case expects.
type Expected struct {
	MessageName string // msg.<Name>
	Code        string // IST code, from msg/messages.gen.go
	Origin      string // "Kind [namespace/]name"
}

// Case is one entry of Istio's testGrid.
type Case struct {
	Name             string
	InputFiles       []string // absolute
	MeshConfigFile   string   // absolute, or ""
	MeshNetworksFile string   // absolute, or ""
	// Analyzer is the analyzer expression's source (e.g. &virtualservice.GatewayAnalyzer{}).
	Analyzer string
	// AnalyzerType is "pkg.Type" for a composite literal without fields, "name:<analyzer name>"
	// for schema.CollectionValidationAnalyzer(collections.Kind), else "".
	AnalyzerType string
	Expected     []Expected
	SkipAll      bool
}

// LoadCases parses analyzers_test.go and messages.gen.go of the Istio module at istioDir.
func LoadCases(istioDir string) ([]Case, error) {
	codes, err := messageCodes(filepath.Join(istioDir, "pkg/config/analysis/msg/messages.gen.go"))
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(istioDir, AnalyzersDir)
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, filepath.Join(dir, "analyzers_test.go"), nil, 0)
	if err != nil {
		return nil, err
	}
	imports := map[string]string{} // local name -> package name (last path element)
	for _, imp := range file.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := path.Base(p)
		local := name
		if imp.Name != nil {
			local = imp.Name.Name
		}
		imports[local] = name
	}
	grid := findVar(file, "testGrid")
	if grid == nil {
		return nil, fmt.Errorf("analyzers_test.go: no testGrid composite literal (did Istio rename it?)")
	}
	var cases []Case
	for i, elt := range grid.Elts {
		lit, ok := elt.(*ast.CompositeLit)
		if !ok {
			return nil, fmt.Errorf("testGrid[%d]: not a composite literal", i)
		}
		c, err := parseCase(lit, dir, imports, codes, fset)
		if err != nil {
			return nil, fmt.Errorf("testGrid[%d]: %w", i, err)
		}
		cases = append(cases, c)
	}
	return cases, nil
}

func parseCase(lit *ast.CompositeLit, dir string, imports, codes map[string]string, fset *token.FileSet) (Case, error) {
	var c Case
	abs := func(p string) string { return filepath.Join(dir, p) }
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			return c, fmt.Errorf("unkeyed field")
		}
		key := kv.Key.(*ast.Ident).Name
		var err error
		switch key {
		case "name":
			c.Name, err = str(kv.Value)
		case "inputFiles":
			var files []string
			files, err = strs(kv.Value)
			for _, f := range files {
				c.InputFiles = append(c.InputFiles, abs(f))
			}
		case "meshConfigFile":
			c.MeshConfigFile, err = str(kv.Value)
			c.MeshConfigFile = abs(c.MeshConfigFile)
		case "meshNetworksFile":
			c.MeshNetworksFile, err = str(kv.Value)
			c.MeshNetworksFile = abs(c.MeshNetworksFile)
		case "skipAll":
			id, ok := kv.Value.(*ast.Ident)
			c.SkipAll = ok && id.Name == "true"
		case "analyzer":
			c.Analyzer = source(fset, kv.Value)
			c.AnalyzerType = analyzerType(kv.Value, imports)
		case "expected":
			c.Expected, err = expected(kv.Value, codes)
		default:
			err = fmt.Errorf("unknown field %s (update the parser)", key)
		}
		if err != nil {
			return c, fmt.Errorf("%s %s: %w", c.Name, key, err)
		}
	}
	return c, nil
}

// analyzerType resolves &pkg.Type{} (no fields) to "pkg.Type" with the package's real name, and
// schema.CollectionValidationAnalyzer(collections.Kind) to the name that analyzer has in All().
func analyzerType(e ast.Expr, imports map[string]string) string {
	if call, ok := e.(*ast.CallExpr); ok {
		fn, ok1 := call.Fun.(*ast.SelectorExpr)
		if !ok1 || fn.Sel.Name != "CollectionValidationAnalyzer" || len(call.Args) != 1 {
			return ""
		}
		if arg, ok := call.Args[0].(*ast.SelectorExpr); ok {
			return "name:schema.ValidationAnalyzer." + arg.Sel.Name
		}
		return ""
	}
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok || len(lit.Elts) != 0 {
		return ""
	}
	sel, ok := lit.Type.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok {
		return ""
	}
	name := imports[pkg.Name]
	if name == "" {
		name = pkg.Name
	}
	return name + "." + sel.Sel.Name
}

func expected(e ast.Expr, codes map[string]string) ([]Expected, error) {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, fmt.Errorf("not a list literal")
	}
	var out []Expected
	for _, elt := range lit.Elts {
		m, ok := elt.(*ast.CompositeLit)
		if !ok || len(m.Elts) != 2 {
			return nil, fmt.Errorf("expected message is not {msg.X, \"origin\"}")
		}
		sel, ok := m.Elts[0].(*ast.SelectorExpr)
		if !ok {
			return nil, fmt.Errorf("message type is not msg.X")
		}
		origin, err := str(m.Elts[1])
		if err != nil {
			return nil, err
		}
		code, ok := codes[sel.Sel.Name]
		if !ok {
			return nil, fmt.Errorf("unknown message type msg.%s", sel.Sel.Name)
		}
		out = append(out, Expected{MessageName: sel.Sel.Name, Code: code, Origin: origin})
	}
	return out, nil
}

// messageCodes maps each message type variable of messages.gen.go to its code:
// Name = diag.NewMessageType(diag.Error, "IST0101", ...).
func messageCodes(file string) (map[string]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		return nil, err
	}
	codes := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
			return true
		}
		call, ok := vs.Values[0].(*ast.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		if code, err := str(call.Args[1]); err == nil && strings.HasPrefix(code, "IST") {
			codes[vs.Names[0].Name] = code
		}
		return true
	})
	if len(codes) == 0 {
		return nil, fmt.Errorf("%s: no message types found", file)
	}
	return codes, nil
}

func findVar(f *ast.File, name string) *ast.CompositeLit {
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if n.Name == name && i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.CompositeLit); ok {
						return lit
					}
				}
			}
		}
	}
	return nil
}

func str(e ast.Expr) (string, error) {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return "", fmt.Errorf("not a string literal")
	}
	return strconv.Unquote(b.Value)
}

func strs(e ast.Expr) ([]string, error) {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, fmt.Errorf("not a list literal")
	}
	var out []string
	for _, elt := range lit.Elts {
		s, err := str(elt)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func source(fset *token.FileSet, e ast.Expr) string {
	var b strings.Builder
	_ = printer.Fprint(&b, fset, e)
	return b.String()
}
