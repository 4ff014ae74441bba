// Command ferretdb runs FerretDB with the SQLite backend through its embeddable package.
//
// The embeddable package is used rather than FerretDB's own command because that command
// needs version files generated at build time, and because the embeddable package never
// starts the telemetry reporter.
//
// With -ping it instead sends a `ping` command to the configured address and exits 0 only if
// the server answered, which makes it a readiness check with no other dependencies.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// envOr returns the environment variable's value, or def when it is unset or empty.
func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func main() {
	listenAddr := flag.String("listen-addr", envOr("FERRETDB_LISTEN_ADDR", "127.0.0.1:27017"),
		"TCP address to listen on (env FERRETDB_LISTEN_ADDR)")
	dataDir := flag.String("data-dir", envOr("FERRETDB_DATA_DIR", "data"),
		"directory for the SQLite database files, created if missing (env FERRETDB_DATA_DIR)")
	postgresURL := flag.String("postgresql-url", envOr("FERRETDB_POSTGRESQL_URL", ""),
		"keep the documents in this PostgreSQL database instead of SQLite files (env FERRETDB_POSTGRESQL_URL)")
	logLevel := flag.String("log-level", envOr("FERRETDB_LOG_LEVEL", "info"),
		"log level: debug, info, warn or error (env FERRETDB_LOG_LEVEL)")
	ping := flag.Bool("ping", false, "ping the server at -listen-addr and exit 0 if it answered")
	pingTimeout := flag.Duration("ping-timeout", 3*time.Second, "overall time limit for -ping")
	flag.Parse()

	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "unexpected arguments: %s\n", strings.Join(flag.Args(), " "))
		os.Exit(2)
	}

	if *ping {
		if err := pingServer(*listenAddr, *pingTimeout); err != nil {
			fmt.Fprintf(os.Stderr, "ping %s: %s\n", *listenAddr, err)
			os.Exit(1)
		}
		return
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "invalid -log-level %q: %s\n", *logLevel, err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	if err := serve(logger, *listenAddr, *dataDir, *postgresURL); err != nil {
		logger.Error("ferretdb failed", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

// serve runs the server until SIGTERM or SIGINT, then waits for it to close its listener,
// its connections and its backend. With a PostgreSQL URL the documents live in PostgreSQL, where
// FerretDB turns equality filters into SQL; the SQLite backend filters in SQL by _id only and
// decodes every document of a collection for any other filter.
func serve(logger *slog.Logger, listenAddr, dataDir, postgresURL string) error {
	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: listenAddr},
		Logger:   logger,
	}
	var backend string
	if postgresURL != "" {
		config.Handler = "postgresql"
		config.PostgreSQLURL = postgresURL
		backend = postgresURL
		if u, err := url.Parse(postgresURL); err == nil {
			backend = u.Redacted()
		}
	} else {
		dir, err := filepath.Abs(dataDir)
		if err != nil {
			return err
		}
		if err = os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		// The SQLite backend wants a "file:" URI naming a directory, with a trailing slash.
		config.Handler = "sqlite"
		config.SQLiteURL = (&url.URL{Scheme: "file", Path: dir + "/"}).String()
		backend = config.SQLiteURL
	}

	f, err := ferretdb.New(config)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	logger.Info("ferretdb listening",
		slog.String("addr", listenAddr), slog.String("backend", backend), slog.String("uri", f.MongoDBURI()))

	err = f.Run(ctx)
	logger.Info("ferretdb stopped")
	return err
}

// pingServer connects straight to addr (no replica set discovery) and runs `ping` on admin.
func pingServer(addr string, timeout time.Duration) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	// A wildcard listen address is reached through loopback.
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	// Dial once ourselves to fail fast while nothing listens yet (the driver would keep retrying
	// until the deadline), then hand that connection to the driver so the server never sees a
	// connection that closes without a message, which it logs as a warning.
	d := &predialed{}
	if d.conn, err = d.DialContext(ctx, "tcp", net.JoinHostPort(host, port)); err != nil {
		return err
	}

	opts := options.Client().
		SetHosts([]string{net.JoinHostPort(host, port)}).
		SetDialer(d).
		SetDirect(true).
		SetServerSelectionTimeout(timeout).
		SetConnectTimeout(timeout)

	// No Disconnect: it would send endSessions, which FerretDB does not implement and logs as a
	// warning on every probe; the process exits right after and that closes the sockets.
	client, err := mongo.Connect(ctx, opts)
	if err != nil {
		return err
	}

	// The driver turns a reply with ok: 0 into an error.
	return client.Database("admin").RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err()
}

// predialed hands out an already established connection on its first dial, then dials normally.
type predialed struct {
	net.Dialer

	mu   sync.Mutex
	conn net.Conn
}

func (p *predialed) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	p.mu.Lock()
	conn := p.conn
	p.conn = nil
	p.mu.Unlock()
	if conn != nil {
		return conn, nil
	}
	return p.Dialer.DialContext(ctx, network, addr)
}
