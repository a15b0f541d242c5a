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
	RSS  int64 // VmRSS: resident now
	HWM  int64 // VmHWM: peak resident since start
	Anon int64 // RssAnon: the private part of RSS (heap, stacks)
	File int64 // RssFile: mapped files (the binary), shared between instances
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
		case "RssAnon:":
			m.Anon, _ = strconv.ParseInt(string(f[1]), 10, 64)
			continue
		case "RssFile:":
			m.File, _ = strconv.ParseInt(string(f[1]), 10, 64)
			continue
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

// cpuTime returns the CPU time all threads of pid have used, with
// nanosecond precision (the sum of /proc/PID/task/*/schedstat; Linux only).
func cpuTime(pid int) (time.Duration, error) {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return 0, err
	}
	var total int64
	for _, t := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, t.Name()))
		if err != nil {
			continue // the thread exited
		}
		f := bytes.Fields(b)
		if len(f) == 0 {
			continue
		}
		n, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("bad schedstat of %d: %w", pid, err)
		}
		total += n
	}
	return time.Duration(total), nil
}
