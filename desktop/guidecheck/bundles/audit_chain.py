"""Does a bundle's clinic audit log lead to the head its device signed? A property of the bundle
alone, so it is checked where the signature is (`verify`), once per bundle.

A bundle (format 3 on) carries the clinic's audit head inside its signed manifest: its entries
must be exactly `after_seq`+1 … `seq`, each hashing right and linking to the one before, from
`after_hash` to the signed `hash`. `bundle verify` prints the answer; the hub's import marks the
bundle's assessments with it (`audit_check`). A broken chain never refuses the bundle: it is
evidence for the officer to see.
"""

from __future__ import annotations

from typing import Any

from guidecheck.bundles.manifest import AuditHead
from guidecheck.i18n import _
from guidecheck.storage.audit import entry_hash


def in_order(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries by number, as the chain is checked and the log replayed."""
    return sorted(entries, key=lambda e: e["seq"])


def chain_problem(entries: list[dict[str, Any]], head: AuditHead) -> str | None:
    """One sentence naming where the entries (in order) stop leading to `head`; None when they do."""
    previous = head.after_hash
    for expected, entry in enumerate(entries, start=head.after_seq + 1):
        if entry["seq"] != expected or entry["prev_hash"] != previous:
            return _(
                "the clinic's audit log is broken at entry {seq}: an entry is missing or out of place"
            ).format(seq=expected)
        if entry_hash(previous, entry) != entry["hash"]:
            return _(
                "the clinic's audit log is broken at entry {seq}: it was changed after it was written"
            ).format(seq=expected)
        previous = entry["hash"]
    if head.after_seq + len(entries) != head.seq or previous != head.hash:
        return _(
            "the clinic's audit entries in this bundle do not end at the head its device signed"
        )
    return None
