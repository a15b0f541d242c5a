package main

import (
	"runtime/debug"
	"strings"
)

// version can be set at link time: -ldflags "-X main.version=v1.2.3".
var version = ""

// buildVersion returns the version of this binary: the link-time version, the
// module version (go install ...@v1.2.3), or the VCS revision recorded by the
// Go toolchain; "dev" when none is known.
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	return versionFromBuildInfo(info)
}

func versionFromBuildInfo(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "dev-" + rev
	if dirty {
		v += "-dirty"
	}
	return strings.TrimSpace(v)
}
