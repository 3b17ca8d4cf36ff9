package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"parley"
	"parley/sqlstore"
)

const userUsage = `Usage: parley user COMMAND [--db parley.db] ...

Manages accounts, for scripts and for a first administrator:

  parley user add NAME [--admin] [--display "Full Name"]   create an account
  parley user passwd NAME                                  set a new password
  parley user disable NAME                                 disable an account; its sessions end at once
  parley user enable NAME                                  enable it again
  parley user list                                         list the accounts
  parley user grant NAME PROCESS ROLE [PARTY]              give a role in a process
                                                           (mediator, delegate of PARTY, observer)
  parley user revoke NAME PROCESS                          end a membership

Passwords are read from the terminal without echo, or as one line from
standard input when it is not a terminal. A password has at least 12
characters; long passphrases are welcome.

Options:
`

// runUser runs parley user.
func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("user", flag.ContinueOnError)
	db := dbFlag(fs)
	isAdmin := fs.Bool("admin", false, "the new account is an administrator")
	display := fs.String("display", "", "the `name` shown on pages")
	pos, code, ok := parseArgs(fs, userUsage, args, stderr)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		fmt.Fprintln(stderr, "parley user: missing command")
		fs.Usage()
		return 2
	}
	want := map[string][2]int{"add": {1, 1}, "passwd": {1, 1}, "disable": {1, 1}, "enable": {1, 1}, "list": {0, 0},
		"grant": {3, 4}, "revoke": {2, 2}}
	n, known := want[pos[0]]
	if !known {
		fmt.Fprintf(stderr, "parley user: unknown command %q\n", pos[0])
		fs.Usage()
		return 2
	}
	if got := len(pos) - 1; got < n[0] || got > n[1] {
		fmt.Fprintf(stderr, "parley user %s: wrong number of arguments\n", pos[0])
		fs.Usage()
		return 2
	}
	err := withDB(ctx, *db, false, func(d *sqlstore.DB) error {
		users := sqlstore.NewUserService(d)
		switch pos[0] {
		case "add":
			pw, err := readPassword(stdin, stderr, "Password for "+pos[1]+": ")
			if err != nil {
				return err
			}
			u := &parley.User{Name: pos[1], DisplayName: *display, Admin: *isAdmin}
			if err := users.CreateUser(ctx, u, pw); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "created %s (%s)\n", u.Name, u.ID)
		case "passwd":
			u, err := users.FindUserByName(ctx, pos[1])
			if err != nil {
				return err
			}
			pw, err := readPassword(stdin, stderr, "New password for "+pos[1]+": ")
			if err != nil {
				return err
			}
			if err := users.SetPassword(ctx, u.ID, pw); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "password of %s changed; their sessions have ended\n", u.Name)
		case "disable", "enable":
			u, err := users.FindUserByName(ctx, pos[1])
			if err != nil {
				return err
			}
			if err := users.SetDisabled(ctx, u.ID, pos[0] == "disable"); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s %sd\n", u.Name, pos[0])
		case "list":
			us, err := users.FindUsers(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tID\tADMIN\tDISABLED\tCREATED")
			for _, u := range us {
				fmt.Fprintf(tw, "%s\t%s\t%v\t%v\t%s\n", u.Name, u.ID, u.Admin, u.Disabled, u.Created.Format("2006-01-02"))
			}
			return tw.Flush()
		case "grant", "revoke":
			u, err := users.FindUserByName(ctx, pos[1])
			if err != nil {
				return err
			}
			pid, err := findProcess(ctx, sqlstore.NewProcessService(d), pos[2])
			if err != nil {
				return err
			}
			if pos[0] == "revoke" {
				if err := users.RemoveMembership(ctx, u.ID, pid); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "%s is no longer a member of %s\n", u.Name, pid)
				return nil
			}
			m := &parley.Membership{UserID: u.ID, ProcessID: pid, Role: parley.Role(pos[3])}
			if len(pos) > 4 {
				if m.PartyID, err = findParty(ctx, sqlstore.NewPartyService(d), pid, pos[4]); err != nil {
					return err
				}
			}
			if err := users.SetMembership(ctx, m); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s is %s in %s\n", u.Name, m.Role, pid)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "parley user %s: %s\n", pos[0], message(err))
		return 2
	}
	return 0
}

// findParty finds a party of a process by ID, else by exact name.
func findParty(ctx context.Context, s parley.PartyService, processID, key string) (string, error) {
	ps, err := s.FindParties(ctx, processID)
	if err != nil {
		return "", err
	}
	for _, p := range ps {
		if p.ID == key || strings.EqualFold(p.Name, key) {
			return p.ID, nil
		}
	}
	return "", fmt.Errorf("no party %q in this process", key)
}

// readPassword reads a password: from the terminal without echo, or as
// the first line of stdin.
func readPassword(stdin io.Reader, stderr io.Writer, prompt string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, parley.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password given on standard input")
	}
	return line, nil
}

const tokenUsage = `Usage: parley token COMMAND [--db parley.db] ...

Manages API tokens for scripts: send one as "Authorization: Bearer TOKEN".

  parley token create USER NAME   make a token for USER; it is shown once
  parley token revoke ID          revoke a token
  parley token list USER          list a user's tokens

Options:
`

// runToken runs parley token.
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	db := dbFlag(fs)
	pos, code, ok := parseArgs(fs, tokenUsage, args, stderr)
	if !ok {
		return code
	}
	want := map[string]int{"create": 2, "revoke": 1, "list": 1}
	if len(pos) == 0 || want[pos[0]] == 0 || len(pos)-1 != want[pos[0]] {
		fmt.Fprintln(stderr, "parley token: want create USER NAME, revoke ID or list USER")
		fs.Usage()
		return 2
	}
	err := withDB(ctx, *db, false, func(d *sqlstore.DB) error {
		auth := sqlstore.NewAuthService(d)
		switch pos[0] {
		case "create", "list":
			u, err := sqlstore.NewUserService(d).FindUserByName(ctx, pos[1])
			if err != nil {
				return err
			}
			if pos[0] == "list" {
				ts, err := auth.FindAPITokens(ctx, u.ID)
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tCREATED\tLAST USED\tREVOKED")
				for _, t := range ts {
					used := "never"
					if !t.LastUsed.IsZero() {
						used = t.LastUsed.Format("2006-01-02 15:04")
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\n", t.ID, t.Name, t.Created.Format("2006-01-02"), used, t.Revoked)
				}
				return tw.Flush()
			}
			t, secret, err := auth.CreateAPIToken(ctx, u.ID, pos[2])
			if err != nil {
				return err
			}
			fmt.Fprintf(stderr, "token %s for %s; it is shown once, keep it now:\n", t.ID, u.Name)
			fmt.Fprintln(stdout, secret)
		case "revoke":
			if err := auth.RevokeAPIToken(ctx, pos[1]); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "token %s revoked\n", pos[1])
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "parley token %s: %s\n", pos[0], message(err))
		return 2
	}
	return 0
}

const auditUsage = `Usage: parley audit COMMAND [--db parley.db] ...

The audit log records every write and every read of a non-public record, in
the transaction of the action. A Merkle tree over it makes it
tamper-evident:

  parley audit checkpoint           print a signed checkpoint of the whole log;
                                    keep it outside the database
  parley audit verify [CHECKPOINT]  check every record against the tree and,
                                    given a checkpoint file kept earlier, prove
                                    the log still holds what it held then

verify exits 1 when the log does not verify.

Options:
`

// runAudit runs parley audit.
func runAudit(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	db := dbFlag(fs)
	pos, code, ok := parseArgs(fs, auditUsage, args, stderr)
	if !ok {
		return code
	}
	switch {
	case len(pos) == 1 && pos[0] == "checkpoint", len(pos) <= 2 && len(pos) > 0 && pos[0] == "verify":
	default:
		fmt.Fprintln(stderr, "parley audit: want checkpoint or verify [CHECKPOINT]")
		fs.Usage()
		return 2
	}
	failed := false
	err := withDB(ctx, *db, false, func(d *sqlstore.DB) error {
		a := sqlstore.NewAuditService(d)
		if pos[0] == "checkpoint" {
			cp, err := a.Checkpoint(ctx)
			if err != nil {
				return err
			}
			fmt.Fprint(stdout, cp)
			return nil
		}
		var cp string
		if len(pos) == 2 {
			b, err := readInput(pos[1], stdin)
			if err != nil {
				return err
			}
			cp = string(b)
		}
		rep, err := a.VerifyAudit(ctx, cp)
		if err != nil {
			failed = parley.ErrorCode(err) == parley.EINVALID
			return err
		}
		fmt.Fprintf(stdout, "audit log verified: %d records, root %s\n", rep.Size, rep.Root)
		if rep.Verified > 0 {
			fmt.Fprintf(stdout, "consistent with the checkpoint of %d records\n", rep.Verified)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "parley audit %s: %s\n", pos[0], message(err))
		if failed {
			return 1
		}
		return 2
	}
	return 0
}
