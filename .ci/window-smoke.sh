#!/usr/bin/env bash
# Window smoke test: run a desktop program in a real window under Xvfb, take
# a screenshot of the screen, and fail unless the screenshot shows something.
#
#   .ci/window-smoke.sh PROGRAM [ARGS...]
#
# Environment (all optional):
#   SMOKE_OUT          where to write the screenshot (default: $TMPDIR/window-smoke.png);
#                      the program's output goes next to it, as .log
#   SMOKE_WAIT         seconds to let the program draw before the screenshot (default 8)
#   SMOKE_SIZE         screen size (default 1366x800)
#   SMOKE_MIN_COLOURS  fewest distinct colours a drawn window must have (default 32)
#
# Fails (non-zero) if the program exits before the screenshot, the screenshot
# is missing, or it is blank: fewer than SMOKE_MIN_COLOURS colours, or a grey
# standard deviation under 0.005 (a blank Xvfb screen is one black colour; a
# Fyne window with text has hundreds, in the light theme and the dark alike).
# Needs Xvfb (apt xvfb) and ImageMagick's import and convert (apt imagemagick).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 PROGRAM [ARGS...]" >&2
  exit 2
fi
for tool in Xvfb import convert; do
  command -v "$tool" >/dev/null || { echo "window-smoke: $tool is missing (apt-get install xvfb imagemagick)" >&2; exit 2; }
done

out=${SMOKE_OUT:-${TMPDIR:-/tmp}/window-smoke.png}
log=${out%.png}.log
wait_s=${SMOKE_WAIT:-8}
size=${SMOKE_SIZE:-1366x800}
min_colours=${SMOKE_MIN_COLOURS:-32}
rm -f "$out" "$log"

workdir=$(mktemp -d)
xpid='' apid=''
# Stop the program first and give it a moment to exit, so that it does not
# complain about the X server going away; then stop Xvfb.
stop() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop "$apid"
  stop "$xpid"
  rm -rf "$workdir"
}
trap cleanup EXIT

# Let Xvfb pick a free display and tell us its number on fd 3.
Xvfb -displayfd 3 -screen 0 "${size}x24" -nolisten tcp 3>"$workdir/display" >"$workdir/xvfb.log" 2>&1 &
xpid=$!
for _ in $(seq 100); do
  [ -s "$workdir/display" ] && break
  kill -0 "$xpid" 2>/dev/null || { echo "window-smoke: Xvfb did not start:" >&2; cat "$workdir/xvfb.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$workdir/display" ] || { echo "window-smoke: Xvfb did not report a display" >&2; exit 1; }
display=:$(tr -d '[:space:]' <"$workdir/display")

echo "window-smoke: running $* on display $display for ${wait_s}s"
DISPLAY=$display "$@" >"$log" 2>&1 &
apid=$!
sleep "$wait_s"
if ! kill -0 "$apid" 2>/dev/null; then
  status=0
  wait "$apid" || status=$?
  apid=''
  echo "window-smoke: FAIL: the program exited (status $status) before the screenshot; its output:" >&2
  cat "$log" >&2
  exit 1
fi

DISPLAY=$display import -window root "$out" || true
if [ ! -s "$out" ]; then
  echo "window-smoke: FAIL: no screenshot was written to $out" >&2
  exit 1
fi
colours=$(convert "$out" -format '%k' info:)
sd=$(convert "$out" -colorspace Gray -format '%[fx:standard_deviation]' info:)
echo "window-smoke: $out: $colours colours, grey standard deviation $sd"
if [ "$colours" -lt "$min_colours" ] || awk -v sd="$sd" 'BEGIN { exit !(sd < 0.005) }'; then
  echo "window-smoke: FAIL: the screenshot is blank (want at least $min_colours colours and deviation >= 0.005); program output:" >&2
  cat "$log" >&2
  exit 1
fi
echo "window-smoke: OK"
