"""Which of PySide6's files go into the clinic package: the Qt modules and plugins the app uses.

PyInstaller's Qt hooks collect every plugin a module *might* need and every translation. GuideCheck
is a QtWidgets app (plus QtSvg for icons and the score chart) that carries its own copies of the
three Qt translations it needs (guidecheck/locale/qt/, kept: outside PySide6/), so everything else
is dropped here, keeping the zip small enough for a USB stick and a slow download.
The spec file applies `keep()` to PyInstaller's binaries and datas; `python packaging/build.py`
then checks on Linux that no kept library lost a dependency.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Python modules PyInstaller must not follow: unused Qt bindings, tests and developer tools.
EXCLUDED_MODULES: tuple[str, ...] = (
    "tkinter", "_tkinter", "turtle", "idlelib", "pydoc_data", "lib2to3", "readline",
    "pytest", "_pytest", "pytestqt", "hypothesis", "pypdf", "ruff", "pip", "setuptools", "wheel",
    "PyInstaller", "IPython", "numpy",  # lxml stays: openpyxl streams the district workbook faster with it
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2", "PySide6.QtQuickTest", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets",
    "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtUiTools",
    "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtXml", "PySide6.QtConcurrent", "PySide6.QtDBus",
    "PySide6.QtPrintSupport", "PySide6.QtLabsStyleKit", "PySide6.QtQmlFeatures",
    "shiboken6.Shiboken.test", "ssl", "_ssl",
    # Pillow is needed (reportlab imports it) but not its AVIF, WebP, colour-management or Tk parts
    "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin", "PIL._imagingcms",
    "PIL.ImageCms", "PIL._imagingtk", "PIL.ImageTk", "PIL.ImageQt",
)  # fmt: skip

# Qt libraries (by module name) that only unused modules or dropped plugins load.
DROPPED_QT_LIBRARIES: tuple[str, ...] = (
    "Network", "Qml", "Quick", "Labs", "Lottie", "OpenGL", "Pdf", "VirtualKeyboard", "Sql", "Test",
    "UiTools", "Designer", "Help", "Xml", "Concurrent", "PrintSupport", "WaylandCompositor",
    "WaylandEgl", "EglFs", "ShaderTools", "StateMachine", "Positioning", "WebSockets",
)  # fmt: skip
_QT_LIBRARY = re.compile(
    r"(?:^|/)(?:lib)?Qt6?(" + "|".join(DROPPED_QT_LIBRARIES) + r")[A-Za-z0-9]*(?:\.|$|/)",
    re.IGNORECASE,
)

# Plugins kept, per platform: category -> file name stems (without lib prefix and extension).
KEEP_PLUGINS: dict[str, dict[str, set[str]]] = {
    "linux": {
        "platforms": {"qoffscreen", "qxcb", "qwayland"},
        "platforminputcontexts": {
            "composeplatforminputcontextplugin",
            "ibusplatforminputcontextplugin",
        },
        "platformthemes": {"qxdgdesktopportal"},
        "xcbglintegrations": {"qxcb-glx-integration", "qxcb-egl-integration"},
        "wayland-shell-integration": {"xdg-shell"},
        "wayland-decoration-client": {"bradient", "adwaita"},
        "iconengines": {"qsvgicon"},
        "imageformats": {"qsvg", "qico"},
    },
    "windows": {
        "platforms": {"qwindows", "qminimal", "qoffscreen"},
        "styles": {"qmodernwindowsstyle", "qwindowsvistastyle"},
        "iconengines": {"qsvgicon"},
        "imageformats": {"qsvg", "qico"},
    },
    "darwin": {
        "platforms": {"qcocoa", "qoffscreen", "qminimal"},
        "styles": {"qmacstyle"},
        "iconengines": {"qsvgicon"},
        "imageformats": {"qsvg", "qico"},
    },
}

_PLUGIN = re.compile(r"(?:^|/)plugins/([^/]+)/(?:lib)?([^/]+?)(?:\.so|\.dll|\.dylib)?$")


def platform_key(sys_platform: str) -> str:
    if sys_platform.startswith("win"):
        return "windows"
    if sys_platform == "darwin":
        return "darwin"
    return "linux"


def keep(dest: str, sys_platform: str) -> bool:
    """True when the bundled file at `dest` (path inside the package) is needed by GuideCheck."""
    path = dest.replace("\\", "/")
    if "PySide6/" not in path and not path.startswith("PySide6"):
        return True
    if "/translations/" in path or path.endswith(".qm"):
        return False
    if "/qml/" in path or "/metatypes/" in path or "/libexec/" in path or "/typesystems/" in path:
        return False
    name = path.rsplit("/", 1)[-1].lower()
    if name.startswith(("libpyside6qml", "pyside6qml", "opengl32sw")):
        return False
    plugin = _PLUGIN.search(path)
    if plugin:
        category, stem = plugin.groups()
        wanted = KEEP_PLUGINS[platform_key(sys_platform)].get(category)
        return wanted is not None and stem in wanted
    return not _QT_LIBRARY.search(path)


def trim(entries: list, sys_platform: str) -> tuple[list, list[str]]:
    """Split PyInstaller TOC entries into (kept entries, dropped destination names)."""
    kept, dropped = [], []
    for entry in entries:
        (kept if keep(entry[0], sys_platform) else dropped).append(entry)
    return kept, [entry[0] for entry in dropped]


def prune_unreachable(
    entries: list, needed_of: Callable[[str], list[str]]
) -> tuple[list, list[str]]:
    """Drop shared libraries that no kept extension module, plugin or libpython links to.

    PyInstaller resolves library dependencies before `trim` runs, so the system libraries pulled in
    only by dropped plugins (the GTK stack behind the GTK theme plugin, for example) are still in
    the list. Roots are Python extension modules, Qt plugins and libpython; from them the NEEDED
    entries (`needed_of(source path)`) are followed by file name. Symlinks stay when their target does.
    """
    by_name: dict[str, list] = {}
    for entry in entries:
        by_name.setdefault(entry[0].replace("\\", "/").rsplit("/", 1)[-1], []).append(entry)

    def is_root(entry: tuple) -> bool:
        dest = entry[0].replace("\\", "/")
        name = dest.rsplit("/", 1)[-1]
        return entry[2] == "EXTENSION" or "/plugins/" in dest or name.startswith("libpython")

    reached: set[str] = set()
    todo = [e for e in entries if e[2] != "SYMLINK" and is_root(e)]
    while todo:
        entry = todo.pop()
        if entry[0] in reached:
            continue
        reached.add(entry[0])
        for needed in needed_of(entry[1]):
            for candidate in by_name.get(needed, []):
                target = (
                    _symlink_target(candidate, by_name) if candidate[2] == "SYMLINK" else candidate
                )
                if target is not None and target[0] not in reached:
                    todo.append(target)
    kept, dropped = [], []
    for entry in entries:
        if entry[2] == "SYMLINK":
            target = _symlink_target(entry, by_name)
            ok = target is not None and target[0] in reached
        else:
            ok = entry[0] in reached or not _is_shared_library(entry[0])
        (kept if ok else dropped).append(entry)
    return kept, [e[0] for e in dropped]


def _is_shared_library(dest: str) -> bool:
    name = dest.replace("\\", "/").rsplit("/", 1)[-1]
    return name.endswith(".so") or ".so." in name


def _symlink_target(entry: tuple, by_name: dict[str, list]) -> tuple | None:
    name = str(entry[1]).replace("\\", "/").rsplit("/", 1)[-1]
    real = [e for e in by_name.get(name, []) if e[2] != "SYMLINK"]
    return real[0] if real else None


def elf_needed(path: str) -> list[str]:
    """The NEEDED entries of an ELF file, read with objdump (which PyInstaller needs anyway)."""
    import subprocess

    result = subprocess.run(["objdump", "-p", path], capture_output=True, text=True, check=False)
    return [
        line.split()[1] for line in result.stdout.splitlines() if line.strip().startswith("NEEDED")
    ]


def drop_dangling_symlinks(
    binaries: list, datas: list, dropped_names: list[str]
) -> tuple[list, list, list[str]]:
    """Remove SYMLINK entries that point at a file dropped by `trim` or `prune_unreachable`.

    Only known-dropped targets count: a link to a folder (macOS frameworks' Versions/Current) or to
    a file PyInstaller adds later is kept.
    """
    import posixpath

    gone = {name.replace("\\", "/") for name in dropped_names}
    dropped: list[str] = []

    def ok(entry: tuple) -> bool:
        if entry[2] != "SYMLINK":
            return True
        dest = entry[0].replace("\\", "/")
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(dest), str(entry[1]).replace("\\", "/"))
        )
        if target not in gone:
            return True
        dropped.append(entry[0])
        return False

    return [e for e in binaries if ok(e)], [e for e in datas if ok(e)], dropped
