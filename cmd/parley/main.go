// Command parley is the Parley workbench for peace plans. For now it
// compares two versions of a plan point by point:
//
//	parley compare OLD NEW [--format text|json|html|md] [-o FILE]
//
// Exit status is like diff's: 0 when the versions are identical, 1 when they
// differ, 2 on trouble.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Run runs the command line args with the given streams and returns the exit
// status.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "compare":
		return runCompare(ctx, args[1:], stdin, stdout, stderr)
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "parley: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: parley <command> [arguments]

Commands:
  compare OLD NEW   compare two versions of a plan point by point
                    (parley compare -h for its options)
`)
}
