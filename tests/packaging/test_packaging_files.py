"""The packaging inputs that need no PyInstaller: Qt trimming rules, the icons, the desktop entry,
the Inno Setup script."""

from __future__ import annotations

import configparser
import struct
import sys
from pathlib import Path

import pytest
from packaging_helpers import PACKAGING, ROOT, load

qt_trim = load(PACKAGING / "qt_trim.py", "qt_trim")
make_icon = load(PACKAGING / "windows" / "make_icon.py", "make_icon")


@pytest.mark.parametrize(
    ("dest", "platform", "kept"),
    [
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "linux", True),
        ("PySide6/Qt/lib/libQt6Svg.so.6", "linux", True),
        ("PySide6/Qt/lib/libicudata.so.73", "linux", True),
        ("PySide6/Qt/lib/libQt6Network.so.6", "linux", False),
        ("PySide6/Qt/lib/libQt6QmlModels.so.6", "linux", False),
        ("PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6", "linux", False),
        ("PySide6/Qt/lib/libQt6OpenGLWidgets.so.6", "linux", False),
        ("PySide6/libpyside6qml.abi3.so.6.12", "linux", False),
        ("PySide6/Qt/translations/qtbase_fr.qm", "linux", False),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "linux", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "linux", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", "linux", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "linux", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", "linux", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", "linux", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", "linux", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", "win32", True),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", "win32", True),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", "win32", False),
        ("PySide6\\Qt6Network.dll", "win32", False),
        ("PySide6\\opengl32sw.dll", "win32", False),
        ("PySide6\\Qt6Widgets.dll", "win32", True),
        ("PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick", "darwin", False),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", "darwin", True),
        ("openpyxl/xml/functions.py", "linux", True),  # only PySide6 files are trimmed
        (
            "libQt6Network.so.6",
            "linux",
            True,
        ),  # top-level symlinks: handled by drop_dangling_symlinks
    ],
)
def test_keep_decides_by_module_and_plugin(dest, platform, kept):
    assert qt_trim.keep(dest, platform) is kept


def test_prune_follows_needed_libraries_from_extensions_and_plugins():
    entries = [
        ("python3.11/lib-dynload/_ssl.so", "/src/_ssl.so", "EXTENSION"),
        ("libssl.so.3", "/src/libssl.so.3", "BINARY"),
        ("libcrypto.so.3", "/src/libcrypto.so.3", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
        ("libxcb.so.1", "/src/libxcb.so.1", "BINARY"),
        ("libgtk-3.so.0", "/src/libgtk-3.so.0", "BINARY"),  # was only needed by a dropped plugin
        ("libpython3.11.so.1.0", "/src/libpython3.11.so.1.0", "BINARY"),
        ("libz.so.1", "/src/libz.so.1", "BINARY"),
        ("libxcb-link.so.1", "libxcb.so.1", "SYMLINK"),
        ("libgtk-link.so.0", "libgtk-3.so.0", "SYMLINK"),
        ("base_library.zip", "/src/base_library.zip", "DATA"),
    ]
    needed = {
        "/src/_ssl.so": ["libssl.so.3"], "/src/libssl.so.3": ["libcrypto.so.3"],
        "/src/libqxcb.so": ["libxcb.so.1"], "/src/libpython3.11.so.1.0": ["libz.so.1"],
        "/src/libgtk-3.so.0": ["libz.so.1"],
    }  # fmt: skip
    kept, dropped = qt_trim.prune_unreachable(entries, lambda src: needed.get(src, []))
    assert sorted(dropped) == ["libgtk-3.so.0", "libgtk-link.so.0"]
    assert len(kept) == len(entries) - 2


def test_dangling_symlinks_are_dropped_with_their_targets():
    binaries = [("PySide6/Qt/lib/libQt6Gui.so.6", "/x", "BINARY"), ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
                ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
                ("QtGui.framework/QtGui", "Versions/Current/QtGui", "SYMLINK")]  # fmt: skip
    kept, datas, dropped = qt_trim.drop_dangling_symlinks(
        binaries, [], ["PySide6/Qt/lib/libQt6Network.so.6"]
    )
    assert [e[0] for e in kept] == [
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "libQt6Gui.so.6",
        "QtGui.framework/QtGui",
    ]
    assert dropped == ["libQt6Network.so.6"] and datas == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF libraries: Linux only")
def test_elf_needed_reads_a_real_qt_library():
    import PySide6

    needed = qt_trim.elf_needed(
        str(Path(PySide6.__file__).parent / "Qt" / "lib" / "libQt6Widgets.so.6")
    )
    assert "libQt6Gui.so.6" in needed and "libQt6Core.so.6" in needed


def ico_directory(data: bytes) -> list[tuple[int, int, bytes]]:
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    entries = []
    for n in range(count):
        width, _h, _c, _r, _planes, _bits, size, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * n
        )
        entries.append((width or 256, size, data[offset : offset + size]))
    return entries


def test_windows_icon_holds_every_size_as_png_and_qt_reads_it(qapp):
    from PySide6.QtGui import QImageReader

    path = PACKAGING / "windows" / "guidecheck.ico"
    entries = ico_directory(path.read_bytes())
    assert [width for width, _size, _png in entries] == list(make_icon.SIZES)
    assert all(png.startswith(b"\x89PNG") for _w, _s, png in entries)
    reader = QImageReader(str(path))
    assert reader.imageCount() == len(make_icon.SIZES)


def test_make_icon_renders_the_svg_again(qapp, tmp_path):
    out = tmp_path / "icon.ico"
    assert make_icon.main([str(ROOT / "assets" / "guidecheck.svg"), str(out)]) == 0
    entries = ico_directory(out.read_bytes())
    assert [w for w, _s, _p in entries] == list(make_icon.SIZES)
    from PySide6.QtGui import QImage

    big = QImage.fromData(entries[-1][2])
    assert (big.width(), big.height()) == (256, 256)
    assert big.pixelColor(128, 128).alpha() == 255 and big.pixelColor(0, 0).alpha() == 0


def test_linux_desktop_entry_names_an_icon_that_ships():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(ROOT / "assets" / "linux" / "guidecheck.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert (
        entry["Type"] == "Application"
        and entry["Exec"] == "GuideCheck"
        and entry["Terminal"] == "false"
    )
    icons = ROOT / "assets" / "linux" / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / f"{entry['Icon']}.svg").is_file()
    for size in (16, 32, 48, 128, 256):
        png = icons / f"{size}x{size}" / "apps" / f"{entry['Icon']}.png"
        assert struct.unpack(">II", png.read_bytes()[16:24]) == (size, size)


def test_inno_setup_script_installs_per_user_without_admin_rights():
    text = (PACKAGING / "windows" / "guidecheck.iss").read_text(encoding="utf-8")
    settings = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith((";", "#", "Name:", "Source:", "Type:", "Filename:")))  # fmt: skip
    assert settings["PrivilegesRequired"] == "lowest"
    assert settings["DefaultDirName"].startswith("{userpf}")
    assert settings["SetupIconFile"] == "guidecheck.ico"
    assert '"{userprograms}\\{#AppName}"' in text  # the Start menu shortcut
    assert '#define DistDir "..\\..\\dist\\GuideCheck"' in text


def test_inno_setup_script_needs_6_3_and_never_ships_data():
    text = (PACKAGING / "windows" / "guidecheck.iss").read_text(encoding="utf-8")
    assert "#if Ver < EncodeVer(6, 3, 0)" in text and "x64compatible" in text
    source = next(line for line in text.splitlines() if line.startswith("Source:"))
    assert "Excludes:" in source and "\\data" in source and "\\portable.txt.txt" in source


def test_build_refuses_a_folder_holding_data_or_a_portable_marker(tmp_path):
    build = load(PACKAGING / "build.py", "build_script")
    folder = tmp_path / "GuideCheck"
    folder.mkdir()
    (folder / "GuideCheck").write_bytes(b"app")
    build.check_nothing_personal(folder)  # clean: fine
    target = build.zip_folder(folder, tmp_path / "plain.zip")
    portable = build.zip_folder(folder, tmp_path / "stick.zip", extra={"portable.txt": "marker"})
    import zipfile

    assert zipfile.ZipFile(target).namelist() == ["GuideCheck/GuideCheck"]
    assert sorted(zipfile.ZipFile(portable).namelist()) == [
        "GuideCheck/GuideCheck",
        "GuideCheck/portable.txt",
    ]
    for name in ("data", "portable.txt.txt"):
        path = folder / name
        path.mkdir() if name == "data" else path.write_text("", encoding="utf-8")
        with pytest.raises(build.BuildError, match="must never ship"):
            build.check_nothing_personal(folder)
        with pytest.raises(build.BuildError, match="must not be packaged"):
            build.zip_folder(folder, tmp_path / "bad.zip")
        path.rmdir() if name == "data" else path.unlink()
    assert not (tmp_path / "bad.zip").exists()


def test_the_spec_builds_a_console_twin_on_windows():
    spec = (PACKAGING / "guidecheck.spec").read_text(encoding="utf-8")
    assert 'name="guidecheck-cli"' in spec and "console=True" in spec
    assert "*extra_exes" in spec  # both executables share the one COLLECT folder
    entry = load(PACKAGING / "entry.py", "entry_script")
    assert (
        entry.CONSOLE_NAME.lower() != "guidecheck"
    )  # Windows names ignore case: not GuideCheck.exe


def test_the_spec_ships_keyrings_backends_and_metadata():
    """keyring finds its backends through entry points: a build without its metadata and backend
    modules has no key store at all (the frozen self-test's "key store" step fails on Windows and
    macOS then)."""
    spec = (PACKAGING / "guidecheck.spec").read_text(encoding="utf-8")
    assert 'collect_submodules("keyring.backends")' in spec
    assert 'copy_metadata("keyring")' in spec
    assert '"win32ctypes.pywin32.win32cred"' in spec
    from importlib.metadata import entry_points

    assert {e.name for e in entry_points(group="keyring.backends")} >= {
        "Windows",
        "macOS",
        "SecretService",
    }
