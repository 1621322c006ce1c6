#!/bin/sh
# Echo benchmark: goasyncio streams beside asyncio and uvloop streams and a
# plain Go net server, all driven by the same Go client (main.go).
#
#   bench/echo/run.sh [duration] [conns] [sizes] [repeats]
#
# Each server is pinned to CPU 0 and the client to CPU 1 (taskset), so the
# single-threaded servers and the Go ones get the same one core; the plain
# Go server runs with GOMAXPROCS=1 there. Each figure is the median of
# `repeats` runs (all runs are listed). Beside round trips per second, the
# server's CPU time per round trip (from /proc/PID/stat, over the whole
# client run) measures the server's cost even when the one-core client,
# not the server, is what limits the rate. Needs python3 with uvloop
# (apt-get install python3-uvloop) at $PYTHON (default /usr/bin/python3).
set -eu
cd "$(dirname "$0")"
DURATION=${1:-5s}
CONNS=${2:-100}
SIZES=${3:-"100 1024"}
REPEATS=${4:-3}
PYTHON=${PYTHON:-/usr/bin/python3}
ADDR=127.0.0.1:25000
TICK=$(getconf CLK_TCK)
DIR=$(mktemp -d)
BIN=$DIR/echo
go build -o "$BIN" .

# run NAME CMD...: start the server, wait for "ready", run the client
# REPEATS times per size and print the median.
run() {
	name=$1; shift
	out=$DIR/server.$(date +%s%N)
	if "$BIN" client -addr $ADDR -conns 1 -duration 1ms >/dev/null 2>&1; then
		echo "run.sh: something already listens on $ADDR" >&2
		exit 1
	fi
	"$@" >"$out" 2>&1 &
	pid=$!
	while ! grep -q ready "$out" 2>/dev/null; do
		kill -0 $pid 2>/dev/null || { cat "$out"; exit 1; }
		sleep 0.1
	done
	for size in $SIZES; do
		runs=""
		for _ in $(seq "$REPEATS"); do
			c0=$(awk '{print $14+$15}' /proc/$pid/stat)
			r=$(taskset -c 1 env GOMAXPROCS=1 "$BIN" client -addr $ADDR -conns "$CONNS" -size "$size" -duration "$DURATION")
			c1=$(awk '{print $14+$15}' /proc/$pid/stat)
			# rps, and the server's CPU microseconds per round trip
			runs="$runs $(echo "$r $c0 $c1 $TICK" | awk '{
				split($1, a, "="); split($2, b, "=");
				printf "%d/%.2f", a[2], ($6 - $5) / $7 * 1e6 / b[2] }')"
		done
		echo "$runs" | python3 -c '
import statistics, sys
name, size = sys.argv[1:]
runs = [tuple(map(float, r.split("/"))) for r in sys.stdin.read().split()]
rps = statistics.median(r for r, _ in runs)
cpu = statistics.median(c for _, c in runs)
print("| %-22s | %5s | %9d | %6.2f | %s |" % (name, size, rps, cpu, " ".join("%d" % r for r, _ in sorted(runs))))
' "$name" "$size"
	done
	kill -TERM $pid
	wait $pid 2>/dev/null || true
	pid=
}
pid=
trap '[ -n "$pid" ] && kill -TERM $pid 2>/dev/null; rm -rf "$DIR"' EXIT

echo "$CONNS connections, closed loop, $DURATION per run; server on CPU 0, client on CPU 1 ($(nproc) CPUs)"
echo
echo "| server                 |  size | median rps | server CPU µs per round trip (median) | all runs (rps) |"
echo "|---|---:|---:|---:|---|"
PYV=$($PYTHON -c 'import sys;print(sys.version.split()[0])')
run "asyncio $PYV" taskset -c 0 $PYTHON server.py --addr $ADDR
run "uvloop $($PYTHON -c 'import uvloop;print(uvloop.__version__)')" taskset -c 0 $PYTHON server.py --uvloop --addr $ADDR
run "goasyncio streams" taskset -c 0 env GOMAXPROCS=1 "$BIN" server -impl goasyncio -addr $ADDR
run "Go net, 1 core" taskset -c 0 env GOMAXPROCS=1 "$BIN" server -impl gonet -addr $ADDR
