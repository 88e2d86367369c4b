#!/usr/bin/env bash
# CI check of the clinic package: build it from this checkout (`make package`: PyInstaller, trim,
# zip, size check) and run the built app's self-test offscreen. Exit status 0 only when the build
# succeeded, the zip is under 80 MB and every self-test step printed OK.
# Usage (from anywhere): bash packaging/ci_check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)" = "Linux" ] && ! command -v objdump >/dev/null 2>&1; then
    echo "ci_check: PyInstaller needs objdump; installing binutils"
    if [ "$(id -u)" = "0" ]; then
        apt-get install -y -q binutils >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q binutils >/dev/null; }
    else
        echo "ci_check: objdump is missing and this user cannot install binutils" >&2
        exit 2
    fi
fi

make package

case "$(uname -s)" in
    MINGW*|MSYS*|CYGWIN*) app=dist/GuideCheck/guidecheck-cli.exe ;;  # the console twin (Windows)
    *) app=dist/GuideCheck/GuideCheck ;;
esac
[ -x "$app" ] || { echo "ci_check: $app was not built" >&2; exit 1; }
"$app" --version
# The last self-test step opens a window on the real screen; a headless Linux runner gets one from
# Xvfb when it is installed (apt-get install xvfb), else that step says SKIPPED.
screen=()
if [ "$(uname -s)" = "Linux" ] && [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
    screen=(xvfb-run -a)
fi
set +e
output=$(QT_QPA_PLATFORM=offscreen GUIDECHECK_HOME="$(mktemp -d)" ${screen[@]+"${screen[@]}"} "$app" --self-test)
status=$?
set -e
data_left=$(find dist/GuideCheck -maxdepth 1 \( -iname data -o -iname 'portable*' \) | head -n 1)
if [ -n "$data_left" ]; then
    echo "ci_check: $data_left must not be in the package folder" >&2
    exit 1
fi
echo "$output"
steps=$(printf '%s\n' "$output" | grep -c '^OK ' || true)
failed=$(printf '%s\n' "$output" | grep -c '^FAILED ' || true)
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$steps" -eq 0 ]; then
    echo "ci_check: the packaged app's self-test failed ($failed of $((steps + failed)) steps)" >&2
    exit 1
fi
echo "ci_check: package built and its self-test passed (all $steps steps OK)"
