package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/population"
	"github.com/motcua/motcua/internal/population/popserver"
)

// populationKeyEnv names the environment variable of the population
// database's API key: a secret, never a flag.
const populationKeyEnv = "MOTCUA_POPULATION_KEY"

// populationFlag adds --population-url to serve.
func populationFlag(fs *flag.FlagSet) *string {
	return fs.String("population-url", os.Getenv("MOTCUA_POPULATION_URL"),
		"base address of the national population database's look-up service (with $"+populationKeyEnv+"): officers may check people against it (default: off)")
}

// populationRegistry is the registry as configured, or nil when it is off.
// A key without an address is an error rather than a silent "off".
func populationRegistry(url string) (population.Registry, error) {
	key := os.Getenv(populationKeyEnv)
	switch {
	case url == "" && key == "":
		return nil, nil
	case url == "":
		return nil, fmt.Errorf("$%s is set but --population-url is not", populationKeyEnv)
	}
	return population.NewHTTPRegistry(url, key), nil
}

// populationServe runs the stand-in population database for trying the
// product: `motcua population serve [--file people.json] [--addr A]`, the
// demo's people by default, the key from $MOTCUA_POPULATION_KEY (none: any
// caller is answered).
func (m *Main) populationServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("population serve", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	file := fs.String("file", "", "JSON array of people: so_dinh_danh, ho_ten, ngay_sinh, gioi_tinh (nam|nu), thuong_tru (default: the demo's)")
	addr := fs.String("addr", "127.0.0.1:8090", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	people, err := popserver.Parse(demo.PopulationPeople())
	if *file != "" {
		people, err = popserver.Load(*file)
	}
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: &popserver.Handler{People: people, Key: os.Getenv(populationKeyEnv)}, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(m.Stdout, "population database (%d people): http://%s%s\n", len(people), displayAddr(ln.Addr()), population.LookupPath)
	return serveUntil(ctx, hs, ln)
}
