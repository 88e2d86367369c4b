"""Make this installation the district hub: the steps of `guidecheck keys district-init`, for the
app's Settings as well (a district officer should not need the command line)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guidecheck.bundles import keys
from guidecheck.bundles.errors import BundleRefused
from guidecheck.i18n import _


def make_district_hub(home: Path, store: Any, name: str, out: Path) -> keys.DistrictKey:
    """New district identity (kept 0600 under keys/), the hub mark and audit entry in the
    database, and the public `.gckey` file for the clinics written to `out`."""
    out = Path(out)
    if out.exists():
        raise BundleRefused(_("{path} already exists; choose another name.").format(path=out))
    key = keys.create_district_identity(home, name)
    with store.atomic():
        store.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('district_hub', '1')")
        store.record_audit("", "keys", key.fingerprint, "district-init", new={"name": key.name})
    keys.write_district_key_file([key], out)
    return key
