package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"
)

// quantile returns the q-quantile (0..1) of ds by the nearest-rank method;
// ds is sorted in place. It returns 0 for an empty slice.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(q*float64(len(ds))+0.5) - 1
	i = max(0, min(i, len(ds)-1))
	return ds[i]
}

func median(ds []time.Duration) time.Duration { return quantile(ds, 0.5) }

// us formats a duration in microseconds with one decimal.
func us(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e3, 'f', 1, 64) }

// ms formats a duration in milliseconds with two decimals.
func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) }

// mib formats a size in KiB as MiB with one decimal.
func mib(kib int64) string { return strconv.FormatFloat(float64(kib)/1024, 'f', 1, 64) }

// procMem is the memory of a process as /proc/PID/status reports it, in KiB.
type procMem struct {
	RSS int64 // VmRSS: resident now
	HWM int64 // VmHWM: peak resident since start
}

// readProcMem reads VmRSS and VmHWM of pid from /proc (Linux only).
func readProcMem(pid int) (procMem, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return procMem{}, err
	}
	return parseProcStatus(b)
}

func parseProcStatus(b []byte) (procMem, error) {
	var m procMem
	found := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) < 2 {
			continue
		}
		var dst *int64
		switch string(f[0]) {
		case "VmRSS:":
			dst = &m.RSS
		case "VmHWM:":
			dst = &m.HWM
		default:
			continue
		}
		v, err := strconv.ParseInt(string(f[1]), 10, 64)
		if err != nil {
			return m, fmt.Errorf("parsing %s: %w", f[0], err)
		}
		*dst = v
		found++
	}
	if found != 2 {
		return m, fmt.Errorf("VmRSS/VmHWM not found in /proc status")
	}
	return m, nil
}

// contextSwitches sums the voluntary and involuntary context switches of
// every thread of pid (Linux only).
func contextSwitches(pid int) (int64, error) {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return 0, err
	}
	var total int64
	for _, t := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/status", pid, t.Name()))
		if err != nil {
			continue // the thread exited
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			f := bytes.Fields(sc.Bytes())
			if len(f) == 2 && (string(f[0]) == "voluntary_ctxt_switches:" || string(f[0]) == "nonvoluntary_ctxt_switches:") {
				n, _ := strconv.ParseInt(string(f[1]), 10, 64)
				total += n
			}
		}
	}
	return total, nil
}

// cpuTime returns the user+system CPU time pid has used (Linux only).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may contain spaces: fields are counted
	// after its closing parenthesis.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("bad /proc/%d/stat", pid)
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("bad /proc/%d/stat", pid)
	}
	ut, err1 := strconv.ParseInt(string(f[11]), 10, 64) // utime, field 14
	st, err2 := strconv.ParseInt(string(f[12]), 10, 64) // stime, field 15
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bad /proc/%d/stat", pid)
	}
	const clkTck = 100 // USER_HZ on Linux
	return time.Duration(ut+st) * time.Second / clkTck, nil
}
