"""Render assets/guidecheck.svg into the Windows icon packaging/windows/guidecheck.ico.

Qt draws the SVG at each size Windows asks for (16 to 256 px; small sizes are drawn, not scaled
down, so they stay sharp) and the .ico is assembled here from PNG images, which every Windows since
Vista reads. Qt's own ICO writer stores one size only, and Pillow is not needed this way.
Run it again after the SVG changes: `python packaging/windows/make_icon.py`.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def render_png(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file holding one PNG per size (ICONDIR, ICONDIRENTRY x n, then the images)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    entries, blobs = b"", b""
    offset = 6 + 16 * len(pngs)
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    svg = Path(args[0]) if args else ROOT / "assets" / "guidecheck.svg"
    out = Path(args[1]) if len(args) > 1 else Path(__file__).with_name("guidecheck.ico")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    out.write_bytes(ico_bytes({size: render_png(svg, size) for size in SIZES}))
    print(f"Wrote {out} ({len(SIZES)} sizes, {out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
