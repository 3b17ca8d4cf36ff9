// Command parley is the Parley workbench for peace plans:
//
//	parley serve [--addr] [--db FILE] [--demo]   the web UI and the JSON API
//	parley compare OLD NEW [--format ...]        compare two versions of a plan
//	parley bargain METHOD FILE [--format ...]    analyse a negotiation: frontier, fair points, aw
//	parley import FILE [--db FILE]               load a process exported as JSON
//	parley export PROCESS [--db FILE] [-o FILE]  write a process as JSON
//	parley migrate [--db FILE]                   bring a database's schema up to date
//	parley backup FILE [--db FILE]               copy an SQLite database online, checked
//	parley restore BACKUP [--db FILE]            put a backup in place of the database
//	parley user add|passwd|disable|enable|list|grant|revoke   manage accounts
//	parley token create|revoke|list              manage API tokens
//	parley audit checkpoint|verify               sign and check the audit log
//	parley version                               print the version
//
// Exit status: 0 on success, 2 on a usage error or trouble; parley compare
// exits 1 when the versions differ, like diff.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"parley"
	_ "time/tzdata" // contacts keep their time zones on machines without a zone database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
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
	// Local commands act as the system: whoever can open the database
	// file holds every record in it anyway. The server gives each request
	// the actor of its session instead.
	ctx = parley.WithActor(ctx, parley.System)
	switch args[0] {
	case "compare":
		return runCompare(ctx, args[1:], stdin, stdout, stderr)
	case "bargain":
		return runBargain(ctx, args[1:], stdin, stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "import":
		return runImport(ctx, args[1:], stdin, stdout, stderr)
	case "export":
		return runExport(ctx, args[1:], stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args[1:], stdout, stderr)
	case "backup":
		return runBackup(ctx, args[1:], stdout, stderr)
	case "restore":
		return runRestore(ctx, args[1:], stdout, stderr)
	case "user":
		return runUser(ctx, args[1:], stdin, stdout, stderr)
	case "token":
		return runToken(ctx, args[1:], stdout, stderr)
	case "audit":
		return runAudit(ctx, args[1:], stdin, stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "parley", buildVersion())
		return 0
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" && args[1] != "help" {
			return Run(ctx, []string{args[1], "-h"}, stdin, stdout, stderr) // parley help compare
		}
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
  serve             run the web UI and the JSON API (--demo for the demo case)
  compare OLD NEW   compare two versions of a plan point by point
  bargain METHOD FILE  analyse a negotiation: Pareto frontier, fair points, Adjusted Winner
  import FILE       load a process from a JSON export
  export PROCESS    write a process and all its records as JSON
  migrate           bring a database's schema up to date
  backup FILE       copy an SQLite database while it serves, checked
  restore BACKUP    put a backup in place of the database
  user              manage accounts: add, passwd, disable, enable, list, grant, revoke
  token             manage API tokens: create, revoke, list
  audit             sign a checkpoint of the audit log, or verify the log
  version           print the version

"parley <command> -h" describes a command's options.
`)
}
