package manifests

import (
	"reflect"
	"testing"
)

func TestFilesWalksFoldersForYAMLOnly(t *testing.T) {
	got, err := Files([]string{"testdata/dir", "testdata/dir/a.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	// target.json beside the manifests (as synth writes it) is not a manifest.
	if want := []string{"testdata/dir/a.yaml", "testdata/dir/sub/b.yml"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestReadFileSkipsEmptyDocuments(t *testing.T) {
	docs, err := ReadFile("testdata/dir/a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Name != "a" || docs[1].Name != "b" || docs[1].Index != 1 || docs[1].Group() != "" {
		t.Errorf("got %+v", docs)
	}
}
