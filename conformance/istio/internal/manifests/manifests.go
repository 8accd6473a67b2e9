// Package manifests reads Kubernetes YAML (files or folders of .yaml/.yml) into one raw JSON
// object per document, remembering the file and document index each came from.
package manifests

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	kubeyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// Document is one YAML document of a manifest file.
type Document struct {
	File       string
	Index      int // 0-based position of the document in its file
	Raw        []byte
	APIVersion string
	Kind       string
	Name       string
	Namespace  string
}

// Group is the API group of the document's apiVersion ("" for the core group).
func (d Document) Group() string {
	if i := strings.Index(d.APIVersion, "/"); i >= 0 {
		return d.APIVersion[:i]
	}
	return ""
}

// Ref names the document for reports: Kind namespace/name (file#index).
func (d Document) Ref() string {
	ns := d.Namespace
	if ns != "" {
		ns += "/"
	}
	return fmt.Sprintf("%s %s%s (%s#%d)", d.Kind, ns, d.Name, d.File, d.Index)
}

// IsManifestFile tells whether a path names a file this package reads when walking a folder:
// *.yaml and *.yml, as cdk8s-mesh analyze (other files in dist/, e.g. target.json, are not
// manifests).
func IsManifestFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		return true
	}
	return false
}

// Files expands the arguments (files or folders, folders walked recursively) into a sorted,
// de-duplicated list of manifest files.
func Files(args []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			if !seen[arg] {
				seen[arg] = true
				out = append(out, arg)
			}
			continue
		}
		err = filepath.WalkDir(arg, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && IsManifestFile(p) && !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

// ReadFile splits one file into its non-empty documents.
func ReadFile(path string) ([]Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(path, f)
}

// Read splits a YAML (or JSON) stream into its non-empty documents.
func Read(name string, r io.Reader) ([]Document, error) {
	reader := kubeyaml.NewYAMLReader(bufio.NewReader(r))
	var docs []Document
	for index := 0; ; index++ {
		chunk, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", name, index, err)
		}
		if len(bytes.TrimSpace(chunk)) == 0 {
			index--
			continue
		}
		js, err := kubeyaml.ToJSON(chunk)
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", name, index, err)
		}
		if bytes.Equal(bytes.TrimSpace(js), []byte("null")) {
			index--
			continue
		}
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name      string `json:"name"`
				Namespace string `json:"namespace"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(js, &head); err != nil {
			return nil, fmt.Errorf("%s: document %d is not an object: %w", name, index, err)
		}
		docs = append(docs, Document{
			File: name, Index: index, Raw: js,
			APIVersion: head.APIVersion, Kind: head.Kind,
			Name: head.Metadata.Name, Namespace: head.Metadata.Namespace,
		})
	}
}
