package hub

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"casebook/casebook"
)

// ServeConfig says where to listen.
type ServeConfig struct {
	Addr              string // "127.0.0.1:8710"
	CertFile, KeyFile string // TLS when both are set
	// AdminDir, when set, is where the admin socket is made (the data folder).
	AdminDir string
	// Ready, if set, is called with the bound address once listening.
	Ready func(addr net.Addr)
	// ShutdownTimeout bounds the graceful shutdown (default 10 s).
	ShutdownTimeout time.Duration
}

// Serve serves sync on cfg.Addr (and the admin socket) until ctx ends, then
// shuts down gracefully: no new requests, running ones finish (each push is
// one transaction, so an interrupted one left nothing half-written).
func (h *Hub) Serve(ctx context.Context, cfg ServeConfig) error {
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 10 * time.Second
	}
	if (cfg.CertFile == "") != (cfg.KeyFile == "") {
		return fmt.Errorf("serve: %w: give both --tls-cert and --tls-key, or neither", casebook.ErrInvalid)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{
		Handler:           h.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	var admin *http.Server
	if cfg.AdminDir != "" {
		sock := filepath.Join(cfg.AdminDir, AdminSocket)
		_ = os.Remove(sock) // a stale socket of a hub that crashed: we hold the data lock
		aln, err := net.Listen("unix", sock)
		if err != nil {
			h.log.Warn("no admin socket: enroll, dispatch and export need the hub stopped", "err", err)
		} else {
			_ = os.Chmod(sock, 0o600)
			admin = &http.Server{Handler: h.adminHandler(), ReadHeaderTimeout: 10 * time.Second}
			go func() { _ = admin.Serve(aln) }()
			defer os.Remove(sock)
		}
	}
	errc := make(chan error, 1)
	go func() {
		if cfg.CertFile != "" {
			errc <- srv.ServeTLS(ln, cfg.CertFile, cfg.KeyFile)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	h.log.Info("hub listening", "addr", ln.Addr().String(), "tls", cfg.CertFile != "", "epoch", h.st.Epoch())
	if cfg.Ready != nil {
		cfg.Ready(ln.Addr())
	}
	select {
	case err := <-errc:
		if admin != nil {
			_ = admin.Close()
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	h.log.Info("hub shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	if admin != nil {
		_ = admin.Shutdown(sctx)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
