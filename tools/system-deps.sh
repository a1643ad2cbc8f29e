#!/usr/bin/env bash
# Make sure the Debian/Ubuntu packages a make target needs are installed.
#   tools/system-deps.sh [--optional] GROUP...   (groups: build, test, gui, interop, cross, screenshots, xvfb, windows)
# As root, missing packages are installed with apt-get; otherwise the exact
# command is printed and the script fails, so make stops -- or, with
# --optional, carries on (the tests that need them then skip, saying why).
set -euo pipefail

declare -A GROUPS_=(
  # Installing shareimg compiles its memory-order helper (common/native/order.c).
  [build]="gcc libc6-dev"
  # What Qt needs to run offscreen (the tests, --headless).
  [test]="libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3"
  # What Qt's xcb platform plugin needs for real windows.
  # The C++ peer of the interoperability tests, built against Qt 5.15 and Qt 6.
  [interop]="g++ pkg-config qtbase5-dev qt6-base-dev"
  # tests/test_order.py: order.c compiled for aarch64, to check its instructions there.
  [cross]="gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu"
  # make screenshots: a virtual screen, a window manager, a screen grabber and a font with Chinese glyphs.
  [screenshots]="xvfb openbox imagemagick fonts-wqy-microhei"
  # The test that runs the demo on a laptop's screen with a window manager and reads its frames back.
  [windows]="xvfb openbox xdotool x11-utils fonts-wqy-microhei"
  # make bench: a virtual screen for the windows on a real X server.
  [xvfb]="xvfb"
  [gui]="libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libx11-xcb1"
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian-like system; make sure Qt's runtime libraries are installed" >&2
  exit 0
fi

optional=false
if [[ "${1:-}" == --optional ]]; then
  optional=true
  shift
fi

wanted=()
for group in "$@"; do
  [[ -n "${GROUPS_[$group]+x}" ]] || { echo "system-deps: unknown group '$group'" >&2; exit 2; }
  wanted+=(${GROUPS_[$group]})
done
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  wanted+=(python3-venv)
fi

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$package")
done
((${#missing[@]} == 0)) && exit 0

if [[ $(id -u) -eq 0 ]]; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
    $optional || exit 1
    # Not every system has every optional package (no cross compiler for the machine's own processor).
    echo "system-deps: could not install ${missing[*]}; what needs them will skip" >&2
  fi
elif $optional; then
  echo "system-deps: optional packages missing, what needs them will skip (tests, the bench on Xvfb): sudo apt-get install -y ${missing[*]}" >&2
else
  echo "system-deps: missing system packages. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
