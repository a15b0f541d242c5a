package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// flagSet is a flag.FlagSet whose flags can also come from environment
// variables. A flag given on the command line wins over its variable.
type flagSet struct {
	*flag.FlagSet
	env map[string]string // flag name -> environment variable
}

func newFlagSet(name string, output io.Writer) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(output)
	return &flagSet{FlagSet: fs, env: map[string]string{}}
}

// bindEnv makes the environment variable env a source for the flag name.
func (fs *flagSet) bindEnv(name, env string) {
	if fs.Lookup(name) == nil {
		panic("bindEnv: no flag " + name)
	}
	fs.env[name] = env
}

// parse parses args, then fills every flag not given on the command line from
// its environment variable (empty variables count as unset).
func (fs *flagSet) parse(args []string, getenv func(string) string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		env, ok := fs.env[f.Name]
		if !ok || set[f.Name] {
			return
		}
		v := strings.TrimSpace(getenv(env))
		if v == "" {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			errs = append(errs, fmt.Errorf("environment variable %s: invalid value for --%s: %v", env, f.Name, err))
		}
	})
	return errors.Join(errs...)
}

// usage prints the flags with their environment variables.
func (fs *flagSet) usage(header string) func() {
	return func() {
		out := fs.Output()
		fmt.Fprint(out, header)
		fs.VisitAll(func(f *flag.Flag) {
			name, usage := flag.UnquoteUsage(f)
			line := "  --" + f.Name
			if name != "" {
				line += " " + name
			}
			fmt.Fprintln(out, line)
			fmt.Fprintf(out, "        %s", usage)
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
				fmt.Fprintf(out, " (default %s)", f.DefValue)
			}
			if env, ok := fs.env[f.Name]; ok {
				fmt.Fprintf(out, " [env %s]", env)
			}
			fmt.Fprintln(out)
		})
	}
}

// splitList splits a comma-separated list, trimming blanks and dropping
// empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
