"""Before the app starts on Linux (`make run`): are the X11 libraries Qt's xcb platform needs here?

Without them Qt prints "could not load the Qt platform plugin xcb … xcb-cursor0 is needed", which
names one library when a fresh Debian or Ubuntu desktop usually misses several (libxcb-icccm4 and
libxcb-keysyms1 too). This check looks for each library the plugin links to, where the dynamic
loader would, and prints the one install command that fixes all of them. It imports no Qt, so it runs even when Qt cannot start.
Exit status: 0 ready (or not Linux/X11), 3 libraries missing.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable

# The shared libraries libqxcb.so and libQt6XcbQpa.so link to, and the Debian/Ubuntu package of
# each (found with `ldd` on PySide6 6.x's platform plugin).
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


LIBRARY_FOLDERS = (
    "/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib",
    "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
    "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
    "/lib/i386-linux-gnu", "/usr/lib/i386-linux-gnu",
)  # fmt: skip


def _loader_cache() -> bytes:
    try:
        with open("/etc/ld.so.cache", "rb") as cache:
            return cache.read(8_000_000)
    except OSError:
        return b""


def installed(
    soname: str, cache: bytes | None = None, environ: dict[str, str] | None = None
) -> bool:
    """True when the dynamic loader would find the library: it is named in the loader's cache
    (what `ldconfig -p` lists) or lies in a library folder or on LD_LIBRARY_PATH. Read from the
    files themselves: this package starts no programs and loads no native code by hand."""
    if soname.encode() in (_loader_cache() if cache is None else cache):
        return True
    env = os.environ if environ is None else environ
    extra = [p for p in env.get("LD_LIBRARY_PATH", "").split(":") if p]
    return any(
        os.path.exists(os.path.join(folder, soname)) for folder in [*extra, *LIBRARY_FOLDERS]
    )


def missing_libraries(is_installed: Callable[[str], bool] | None = None) -> list[str]:
    if is_installed is None:
        cache = _loader_cache()

        def is_installed(soname: str) -> bool:
            return installed(soname, cache)

    return [soname for soname in XCB_LIBRARIES if not is_installed(soname)]


def needs_xcb(environ: dict[str, str] | None = None, platform: str = sys.platform) -> bool:
    """Only a Linux start on X11 (Qt's default there) uses the xcb plugin."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    return not chosen or chosen.startswith("xcb")


def advice(missing: list[str], has_apt: bool) -> str:
    """The one message to print: what is missing and the one command that installs it."""
    packages = " ".join(XCB_LIBRARIES[soname] for soname in missing)
    if has_apt:
        return (
            "GuideCheck needs a few X11 libraries that this desktop does not have yet.\n"
            "Install them with this one command, then run `make run` again:\n\n"
            f"    sudo apt install {packages}\n"
        )
    return (
        "GuideCheck needs these X11 libraries, which this computer does not have yet: "
        f"{', '.join(missing)}.\nInstall them with your system's package manager "
        f"(on Debian or Ubuntu: sudo apt install {packages}), then start GuideCheck again.\n"
    )


def main() -> int:
    if not needs_xcb():
        return 0
    missing = missing_libraries()
    if not missing:
        return 0
    print(advice(missing, shutil.which("apt-get") is not None), file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main())
