//go:build !unix

package bench

import "time"

// processCPU is unknown here: the benchmark then prints no CPU time.
func processCPU() time.Duration { return 0 }
