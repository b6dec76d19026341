package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const pem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2hh\nbmdlZCBsaW5lcw==\n-----END CERTIFICATE-----\n"

// runBuild writes connection.json into a fresh package and runs the build step on it.
func runBuild(t *testing.T, conn string) (string, error) {
	t.Helper()
	src, meta, out := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(filepath.Join(src, "connection.json"), []byte(conn), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := build([]string{src, meta, out}); err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(out, "connection.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b), nil
}

func setConfig(t *testing.T, values map[string]any) {
	t.Helper()
	b, err := json.Marshal(values)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(configEnv, string(b))
}

func TestBuildRendersEachFieldWithMultiLinePEM(t *testing.T) {
	setConfig(t, map[string]any{"peer": "org1-peer0", "root_cert": pem})
	got, err := runBuild(t, `{"address": "{{.peer}}-cc:9999", "dial_timeout": "10s", "tls_required": true, "root_cert": "{{.root_cert}}"}`)
	if err != nil {
		t.Fatal(err)
	}
	var c connection
	if err := json.Unmarshal([]byte(got), &c); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, got)
	}
	if c.Address != "org1-peer0-cc:9999" || c.DialTimeout != "10s" || !c.TLSRequired {
		t.Errorf("fields not kept or rendered: %+v", c)
	}
	if c.RootCert != pem {
		t.Errorf("root_cert = %q, want the PEM with its newlines", c.RootCert)
	}
}

func TestBuildMissingKeyFails(t *testing.T) {
	setConfig(t, map[string]any{"peer": "org1-peer0"})
	_, err := runBuild(t, `{"address": "{{.peer}}:9999", "tls_required": true, "root_cert": "{{.root_cert}}"}`)
	if err == nil {
		t.Fatal("build passed with root_cert missing from the config")
	}
	for _, want := range []string{"connection.json root_cert", `no entry for key "root_cert"`, configEnv} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestBuildWithoutConfigPassesThrough(t *testing.T) {
	t.Setenv(configEnv, "")
	conn := `{"address": "cc.example:9999", "dial_timeout": "{{.not_rendered}}", "tls_required": false}`
	got, err := runBuild(t, conn)
	if err != nil {
		t.Fatal(err)
	}
	if got != conn {
		t.Errorf("connection.json changed:\n got %s\nwant %s", got, conn)
	}
}

func TestBuildChecksRenderedValues(t *testing.T) {
	setConfig(t, map[string]any{"address": "", "root_cert": ""})
	if _, err := runBuild(t, `{"address": "{{.address}}"}`); err == nil || !strings.Contains(err.Error(), "address is empty") {
		t.Errorf("empty rendered address: err = %v", err)
	}
	if _, err := runBuild(t, `{"address": "cc:9999", "tls_required": true, "root_cert": "{{.root_cert}}"}`); err == nil || !strings.Contains(err.Error(), "tls_required needs root_cert") {
		t.Errorf("empty rendered root_cert: err = %v", err)
	}
}
