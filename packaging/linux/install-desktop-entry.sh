#!/bin/sh
# Add GuideCheck to this user's application menu (no root needed): run it from the unpacked
# GuideCheck folder, e.g. `sh install-desktop-entry.sh`. Remove with `sh install-desktop-entry.sh --remove`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
apps="$data/applications"
icons="$data/icons/hicolor"
assets="$here/_internal/assets/linux"

if [ "${1:-}" = "--remove" ]; then
    rm -f "$apps/guidecheck.desktop"
    find "$icons" -name guidecheck.png -delete 2>/dev/null || true
    rm -f "$icons/scalable/apps/guidecheck.svg"
    echo "GuideCheck was removed from the application menu (its data folder was kept)."
    exit 0
fi
if [ ! -x "$here/GuideCheck" ] || [ ! -d "$assets" ]; then
    echo "Run this script from the unpacked GuideCheck folder (GuideCheck and _internal/ beside it)." >&2
    exit 2
fi
mkdir -p "$apps"
for dir in "$assets"/icons/hicolor/*/apps; do
    size=$(basename "$(dirname "$dir")")
    mkdir -p "$icons/$size/apps"
    cp "$dir"/guidecheck.* "$icons/$size/apps/"
done
# Quote the path for the Exec key (spaces are common on USB sticks).
exec_path=$(printf '%s' "$here/GuideCheck" | sed 's/\\/\\\\/g; s/"/\\"/g')
sed -e "s|^Exec=.*|Exec=\"$exec_path\"|" -e "s|^TryExec=.*|TryExec=$here/GuideCheck|" \
    "$assets/guidecheck.desktop" > "$apps/guidecheck.desktop"
chmod 644 "$apps/guidecheck.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" >/dev/null 2>&1 || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q "$icons" >/dev/null 2>&1 || true
echo "GuideCheck was added to the application menu: $apps/guidecheck.desktop"
