package main

import (
	"context"
	"errors"
)

// These commands are being written; until then they say so.
var errNotYet = errors.New("not available in this build yet")

func (m *Main) backup(ctx context.Context, args []string) error      { return errNotYet }
func (m *Main) migrateData(ctx context.Context, args []string) error { return errNotYet }
func (m *Main) bench(ctx context.Context, args []string) error       { return errNotYet }
