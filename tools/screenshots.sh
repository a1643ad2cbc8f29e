#!/usr/bin/env bash
# Run shareimg-demo on a virtual laptop screen (1366x768, with a window manager) and photograph it,
# in English and in Chinese.
#   tools/screenshots.sh DEMO OUTDIR
set -euo pipefail
demo=$1
out=$2
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
# The frames and title bars are part of what is shown: the demo places the windows by them.
DISPLAY=$display openbox >/dev/null 2>&1 &
openbox=$!
trap 'kill $openbox $xvfb 2>/dev/null || true' EXIT
sleep 1
for lang in en zh_CN; do
  key="shareimg-screenshot-$$-$lang"
  DISPLAY=$display "$demo" --key "$key" --lang "$lang" &
  pid=$!
  sleep 7  # both windows up, the consumer showing the image
  DISPLAY=$display import -window root "$out/screenshot-$lang.png"
  kill -TERM "$pid"
  wait "$pid" || true
  echo "wrote $out/screenshot-$lang.png"
done
