package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// flagSet is a flag.FlagSet whose flags can also come from environment
// variables. A flag given on the command line wins over its variable.
//
// Errors are returned, never printed, so the caller prints each once; the
// usage (set with fs.Usage = fs.usage(header)) is printed only for -h/--help,
// to the writer given to newFlagSet (stdout: help is output asked for).
type flagSet struct {
	*flag.FlagSet
	env     map[string]string // flag name -> environment variable
	fromEnv map[string]string // flag name -> variable its value was read from
	helpOut io.Writer
}

func newFlagSet(name string, helpOut io.Writer) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flagSet{FlagSet: fs, env: map[string]string{}, fromEnv: map[string]string{}, helpOut: helpOut}
}

// bindEnv makes the environment variable env a source for the flag name.
func (fs *flagSet) bindEnv(name, env string) {
	if fs.Lookup(name) == nil {
		panic("bindEnv: no flag " + name)
	}
	fs.env[name] = env
}

// source names where the flag's value came from, for error messages: its
// environment variable when it was read from one, else --name.
func (fs *flagSet) source(name string) string {
	if env, ok := fs.fromEnv[name]; ok {
		return env
	}
	return "--" + name
}

// parse parses args, then fills every flag not given on the command line from
// its environment variable (empty variables count as unset). On -h/--help it
// prints the usage and returns flag.ErrHelp.
func (fs *flagSet) parse(args []string, getenv func(string) string) error {
	fs.VisitAll(func(f *flag.Flag) { f.Value = explained(f.Value) })
	help := fs.Usage
	fs.Usage = func() {} // flag would print it on every error
	err := fs.Parse(args)
	fs.Usage = help
	if errors.Is(err, flag.ErrHelp) {
		if help != nil {
			help()
		}
		return err
	}
	if err != nil {
		// flag names flags with one dash; our usage and docs use two.
		msg := strings.NewReplacer(" for flag -", " for --", " for -", " for --", "defined: -", "defined: --", "argument: -", "argument: --").Replace(err.Error())
		if name, ok := strings.CutPrefix(msg, "flag provided but not defined: --"); ok {
			var names []string
			fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
			if n := nearest(name, names); n != "" {
				msg += fmt.Sprintf(" (did you mean --%s?)", n)
			}
		}
		return errors.New(msg)
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
		fs.fromEnv[f.Name] = env
		if err := fs.Set(f.Name, v); err != nil {
			errs = append(errs, fmt.Errorf("environment variable %s=%q: %v", env, v, err))
		}
	})
	return errors.Join(errs...)
}

// explainedValue wraps a flag value so that a bad value says what is
// accepted, instead of strconv's "parse error".
type explainedValue struct {
	flag.Value
	want string
}

func (v explainedValue) Set(s string) error {
	if err := v.Value.Set(s); err != nil {
		return errors.New(v.want)
	}
	return nil
}

// IsBoolFlag keeps --flag (without a value) working for boolean flags.
func (v explainedValue) IsBoolFlag() bool {
	b, ok := v.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func explained(v flag.Value) flag.Value {
	if _, done := v.(explainedValue); done {
		return v
	}
	getter, ok := v.(flag.Getter)
	if !ok {
		return v
	}
	switch getter.Get().(type) {
	case bool:
		return explainedValue{v, "want true or false (or 1 or 0)"}
	case int, int64, uint, uint64:
		return explainedValue{v, "want a whole number"}
	case float64:
		return explainedValue{v, "want a number"}
	case time.Duration:
		return explainedValue{v, "want a duration such as 30s, 5m or 1h"}
	}
	return v
}

// usage prints the flags with their environment variables.
func (fs *flagSet) usage(header string) func() {
	return func() {
		out := fs.helpOut
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

// nearest returns the candidate closest to s by edit distance, when it is
// close enough to be a likely typo ("" otherwise).
func nearest(s string, candidates []string) string {
	best, bestD := "", 0
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if best == "" || d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(2, len(s)/3) || bestD >= len(s) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// quoteList formats accepted values for messages: "a, b or c".
func quoteList(vals []string) string {
	switch len(vals) {
	case 0:
		return ""
	case 1:
		return vals[0]
	}
	return strings.Join(vals[:len(vals)-1], ", ") + " or " + vals[len(vals)-1]
}
