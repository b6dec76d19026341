// Command ccaas-builder is the kit's Fabric external builder for chaincode run as a service.
//
// The peer calls it as bin/detect, bin/build and bin/release (one binary, chosen by the name it
// is called by, or by its first argument):
//
//	detect  SOURCE_DIR METADATA_DIR             exit 0 when metadata.json says type "ccaas"
//	build   SOURCE_DIR METADATA_DIR OUTPUT_DIR  copy connection.json (and META-INF) to OUTPUT_DIR
//	release OUTPUT_DIR RELEASE_DIR              put connection.json where the peer reads it
//
// When CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG holds a JSON object, each string field of
// connection.json (address, dial_timeout, client_key, client_cert, root_cert) is rendered as a Go
// text/template with it, as Fabric's own ccaas_builder does, so one package can name a per-peer
// address and a value may be a multi-line PEM.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"
)

const configEnv = "CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG"

func main() {
	name := filepath.Base(os.Args[0])
	args := os.Args[1:]
	switch name {
	case "detect", "build", "release":
	default:
		if len(args) == 0 {
			fail(2, "usage: ccaas-builder detect|build|release ARGS...")
		}
		name, args = args[0], args[1:]
	}
	var err error
	switch name {
	case "detect":
		err = detect(args)
	case "build":
		err = build(args)
	case "release":
		err = release(args)
	default:
		fail(2, "unknown step %q", name)
	}
	if err != nil {
		fail(1, "%s: %v", name, err)
	}
}

func fail(code int, format string, a ...any) {
	fmt.Fprintf(os.Stderr, "ccaas-builder: "+format+"\n", a...)
	os.Exit(code)
}

type metadata struct {
	Type  string `json:"type"`
	Label string `json:"label"`
}

func detect(args []string) error {
	if len(args) != 2 {
		return errors.New("want SOURCE_DIR METADATA_DIR")
	}
	raw, err := os.ReadFile(filepath.Join(args[1], "metadata.json"))
	if err != nil {
		return err
	}
	var m metadata
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("metadata.json: %w", err)
	}
	if !strings.EqualFold(m.Type, "ccaas") {
		// Not ours: a quiet exit 1 lets the peer try its next builder.
		os.Exit(1)
	}
	return nil
}

// connection is what the peer needs to dial the chaincode server.
type connection struct {
	Address            string `json:"address"`
	DialTimeout        string `json:"dial_timeout"`
	TLSRequired        bool   `json:"tls_required"`
	ClientAuthRequired bool   `json:"client_auth_required"`
	ClientKey          string `json:"client_key"`
	ClientCert         string `json:"client_cert"`
	RootCert           string `json:"root_cert"`
}

func build(args []string) error {
	if len(args) != 3 {
		return errors.New("want SOURCE_DIR METADATA_DIR OUTPUT_DIR")
	}
	src, out := args[0], args[2]
	raw, err := os.ReadFile(filepath.Join(src, "connection.json"))
	if err != nil {
		return fmt.Errorf("the package's code.tar.gz must hold connection.json: %w", err)
	}
	// Parse first, render after: a rendered value may hold newlines that would break the JSON text.
	var c connection
	if err := json.Unmarshal(raw, &c); err != nil {
		return fmt.Errorf("connection.json: %w", err)
	}
	// Without a config there is nothing to render: the package's file goes through as it is.
	if cfg := os.Getenv(configEnv); cfg != "" {
		if err := c.render(cfg); err != nil {
			return err
		}
		if raw, err = encode(c); err != nil {
			return err
		}
	}
	if err := c.check(); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "connection.json"), raw, 0o644); err != nil {
		return err
	}
	meta := filepath.Join(src, "META-INF")
	if _, err := os.Stat(meta); err == nil {
		return copyTree(meta, filepath.Join(out, "META-INF"))
	}
	return nil
}

// check runs on the rendered values, so a field filled in from the config counts.
func (c *connection) check() error {
	if c.Address == "" {
		return errors.New("connection.json: address is empty")
	}
	if c.TLSRequired && c.RootCert == "" {
		return errors.New("connection.json: tls_required needs root_cert")
	}
	return nil
}

// render executes each string field as a template over the JSON object in cfg.
func (c *connection) render(cfg string) error {
	values := map[string]any{}
	if err := json.Unmarshal([]byte(cfg), &values); err != nil {
		return fmt.Errorf("%s is not a JSON object: %w", configEnv, err)
	}
	fields := []struct {
		name  string
		value *string
	}{
		{"address", &c.Address},
		{"dial_timeout", &c.DialTimeout},
		{"client_key", &c.ClientKey},
		{"client_cert", &c.ClientCert},
		{"root_cert", &c.RootCert},
	}
	for _, f := range fields {
		v, err := renderField(f.name, *f.value, values)
		if err != nil {
			return err
		}
		*f.value = v
	}
	return nil
}

// renderField names the field in its errors: "map has no entry" alone does not say where.
func renderField(name, text string, values map[string]any) (string, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fmt.Errorf("connection.json %s: %w", name, err)
	}
	var b strings.Builder
	if err := t.Execute(&b, values); err != nil {
		return "", fmt.Errorf("connection.json %s: %w (keys come from %s)", name, err, configEnv)
	}
	return b.String(), nil
}

// encode keeps '<', '>' and '&' as written: the peer reads this file, not a browser.
func encode(c connection) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	e.SetIndent("", "  ")
	if err := e.Encode(c); err != nil {
		return nil, fmt.Errorf("connection.json: %w", err)
	}
	return b.Bytes(), nil
}

func release(args []string) error {
	if len(args) != 2 {
		return errors.New("want BUILD_OUTPUT_DIR RELEASE_DIR")
	}
	built, rel := args[0], args[1]
	server := filepath.Join(rel, "chaincode", "server")
	if err := os.MkdirAll(server, 0o755); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(built, "connection.json"), filepath.Join(server, "connection.json")); err != nil {
		return err
	}
	indexes := filepath.Join(built, "META-INF", "statedb", "couchdb")
	if _, err := os.Stat(indexes); err == nil {
		return copyTree(indexes, filepath.Join(rel, "statedb", "couchdb"))
	}
	return nil
}

func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(p, dst)
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
