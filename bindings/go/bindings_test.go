// Builds each example program, runs it as a user would (CDK8S_OUTDIR set) and compares its YAML
// byte for byte with the TypeScript program's output, which bindings/run-tests.sh writes to
// bindings/out/typescript first. A MeshConfigError must reach Go with its whole message.
package bindings

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-mesh/cdk8s-mesh-go/cdk8smesh"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

var out = func() string {
	if dir := os.Getenv("BINDINGS_OUT"); dir != "" {
		return dir
	}
	return filepath.Join("..", "out")
}()

func TestSameYamlAsTypeScript(t *testing.T) {
	bin := t.TempDir()
	for _, name := range []string{"first-service", "resilience", "security", "observability", "environments"} {
		t.Run(name, func(t *testing.T) {
			expected := filepath.Join(out, "typescript", name)
			if _, err := os.Stat(expected); err != nil {
				t.Fatalf("no TypeScript output in %s: run bindings/run-tests.sh", expected)
			}
			actual, err := filepath.Abs(filepath.Join(out, "go", name))
			if err != nil {
				t.Fatal(err)
			}
			os.RemoveAll(actual)
			exe := filepath.Join(bin, name)
			if b, err := exec.Command("go", "build", "-o", exe, "./cmd/"+name).CombinedOutput(); err != nil {
				t.Fatalf("go build %s: %v\n%s", name, err, b)
			}
			run := exec.Command(exe)
			run.Env = append(os.Environ(), "CDK8S_OUTDIR="+actual)
			if b, err := run.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", name, err, b)
			}
			want, got := files(t, expected), files(t, actual)
			if strings.Join(want, ",") != strings.Join(got, ",") {
				t.Fatalf("files differ: TypeScript %v, Go %v", want, got)
			}
			for _, f := range want {
				w, _ := os.ReadFile(filepath.Join(expected, f))
				g, _ := os.ReadFile(filepath.Join(actual, f))
				if !bytes.Equal(w, g) {
					t.Errorf("%s differs from TypeScript's:\n--- TypeScript\n%s\n--- Go\n%s", f, w, g)
				}
			}
		})
	}
}

func TestMeshConfigErrorReachesGoWithPathPropAndFix(t *testing.T) {
	chart := cdk8s.NewChart(cdk8s.NewApp(nil), jsii.String("reviews"), nil)
	reviews := cdk8smesh.NewMeshService(chart, jsii.String("reviews"), &cdk8smesh.MeshServiceProps{
		Ports:    &[]cdk8smesh.ServicePort{cdk8smesh.ServicePort_Http(jsii.Number(9080), nil)},
		Versions: jsii.Strings("v1", "v2"),
	})
	message := func() (message string) {
		defer func() { message = fmt.Sprint(recover()) }()
		cdk8smesh.NewCanaryService(chart, jsii.String("reviews-canary"), &cdk8smesh.CanaryServiceProps{
			Service: reviews, StableVersion: jsii.String("v1"), CanaryVersion: jsii.String("v9"), Stage: jsii.Number(2),
		})
		return "no panic"
	}()
	for _, part := range []string{`reviews/reviews-canary: canaryVersion names version "v9"`, `Fix: add it with reviews.addVersion("v9")`} {
		if !strings.Contains(message, part) {
			t.Errorf("the panic %q does not contain %q", message, part)
		}
	}
}

func files(t *testing.T, dir string) []string {
	var names []string
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			names = append(names, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return names
}
