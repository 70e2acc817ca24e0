package motoserver

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rosterhq/roster/infra/localstack/childproc"
)

func TestStart(t *testing.T) {
	t.Run("serves on loopback until stopped", func(t *testing.T) {
		begin := time.Now()
		srv, err := Start(t.Context(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("started in %v", time.Since(begin))
		defer srv.Stop()
		if !strings.HasPrefix(srv.Endpoint, "http://127.0.0.1:") {
			t.Errorf("Endpoint = %q, want a loopback URL", srv.Endpoint)
		}
		if err := probe(t.Context(), srv.Endpoint); err != nil {
			t.Fatal(err)
		}
		if err := srv.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
		if err := srv.Stop(); err != nil {
			t.Errorf("second Stop: %v", err)
		}
		if err := probe(t.Context(), srv.Endpoint); err == nil {
			t.Error("server still answers after Stop")
		}
	})

	t.Run("port in use", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		port := l.Addr().(*net.TCPAddr).Port
		srv, err := Start(t.Context(), Options{Port: port})
		if err == nil {
			srv.Stop()
			t.Fatal("Start succeeded on a busy port")
		}
		if !errors.Is(err, childproc.ErrPortInUse) || !strings.Contains(err.Error(), strconv.Itoa(port)) {
			t.Errorf("err = %v, want a port-in-use error naming %d", err, port)
		}
	})

	t.Run("missing moto_server is one clear line", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		_, err := Start(t.Context(), Options{})
		if !errors.Is(err, ErrMotoNotFound) {
			t.Fatalf("err = %v, want ErrMotoNotFound", err)
		}
		if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "pip install 'moto[server]'") {
			t.Errorf("message = %q, want one line saying how to install moto", msg)
		}
	})
}

func TestProbe(t *testing.T) {
	t.Run("non-200 is an error", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: http.NotFoundHandler()}
		go srv.Serve(l)
		defer srv.Close()
		if err := probe(t.Context(), "http://"+l.Addr().String()); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("probe = %v, want a 404 error", err)
		}
	})
}
