"""`guidecheck device ...`: the district officer approves, refuses and revokes clinic devices.

A bundle from a device the hub has not approved is held, not applied. The officer compares the
device's 24-digit enrolment code (read out from the clinic's About screen or `keys show`) with
the one `device pending` prints, then approves it for the facility codes it may report for.
"""

from __future__ import annotations

import argparse
from typing import Any

from guidecheck.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "device", help=_("district hub: approve, refuse or revoke the devices that send bundles")
    )
    commands = parser.add_subparsers(dest="command", metavar="ACTION")
    commands.required = True

    pending = commands.add_parser(
        "pending", help=_("list the bundles waiting for their device's approval")
    )
    pending.add_argument("--json", action="store_true", help=_("print JSON"))
    pending.set_defaults(handler=cmd_pending)

    listing = commands.add_parser("list", help=_("list every device this hub knows"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=cmd_list)

    approve = commands.add_parser(
        "approve", help=_("approve a device for facility codes and import its held bundles")
    )
    approve.add_argument("device_id", metavar="DEVICE_ID")
    approve.add_argument(
        "--facility", nargs="+", required=True, metavar="CODE",
        help=_("facility codes this device may report for"),
    )  # fmt: skip
    approve.add_argument(
        "--code", metavar="DIGITS",
        help=_("the 24-digit enrolment code read from the clinic (needed when two keys claim one id)"),
    )  # fmt: skip
    approve.set_defaults(handler=cmd_approve)

    revoke = commands.add_parser("revoke", help=_("stop accepting bundles from a device"))
    revoke.add_argument("device_id", metavar="DEVICE_ID")
    revoke.add_argument("--code", metavar="DIGITS")
    revoke.set_defaults(handler=cmd_revoke)

    refuse = commands.add_parser(
        "refuse", help=_("refuse a waiting device; its held bundles are deleted")
    )
    refuse.add_argument("device_id", metavar="DEVICE_ID")
    refuse.add_argument("--code", metavar="DIGITS")
    refuse.set_defaults(handler=cmd_refuse)

    transfer = commands.add_parser(
        "transfer", help=_("let another approved device continue an assessment lineage")
    )
    transfer.add_argument("lineage_id", metavar="LINEAGE_ID")
    transfer.add_argument("--to", required=True, metavar="DEVICE_ID", dest="to_device")
    transfer.set_defaults(handler=cmd_transfer)


def cmd_pending(context: Any, args: argparse.Namespace) -> int:
    from guidecheck.bundles import enrolment
    from guidecheck.cli.common import print_json, print_table
    from guidecheck.safetext import for_terminal

    conn = context.store().conn
    waiting = enrolment.held(conn)
    codes = {(d.device_id, d.public_key): d for d in enrolment.devices(conn)}
    if args.json:
        print_json([
            {"device_id": h.device_id, "enrol_code": codes[(h.device_id, h.public_key)].enrol_code,
             "facility_codes": list(h.facility_codes), "bundle_id": h.bundle_id, "sha256": h.sha256,
             "created_at": h.created_at, "received_at": h.received_at, "file": h.source_name,
             "counts": h.counts}
            for h in waiting
        ])  # fmt: skip
        return 0
    if not waiting:
        print(_("No bundle is waiting for approval."))
        return 0
    rows = [
        [h.device_id, codes[(h.device_id, h.public_key)].enrol_code,
         for_terminal(", ".join(h.facility_codes)), h.created_at[:16].replace("T", " "),
         str(h.counts.get("assessments", 0)), h.source_name]
        for h in waiting
    ]  # fmt: skip
    print_table(rows, [_("device"), _("enrolment code"), _("facilities claimed"), _("written"),
                       _("assessments"), _("file")])  # fmt: skip
    print(
        _(
            "Compare each code with the clinic's About screen, then: guidecheck device approve DEVICE_ID --facility CODE"
        )
    )
    return 0


def cmd_list(context: Any, args: argparse.Namespace) -> int:
    from guidecheck.bundles import enrolment
    from guidecheck.cli.common import print_json, print_table

    found = enrolment.devices(context.store().conn)
    if args.json:
        print_json([d.as_dict() for d in found])
        return 0
    if not found:
        print(_("No device has sent a bundle here yet."))
        return 0
    rows = [[d.device_id, d.enrol_code, d.status, ", ".join(d.facilities) or "-"] for d in found]
    print_table(rows, [_("device"), _("enrolment code"), _("status"), _("facilities")])
    return 0


def cmd_approve(context: Any, args: argparse.Namespace) -> int:
    from guidecheck.bundles import keys
    from guidecheck.bundles.approval import approve_device

    keys.unlock_keys(context.home, device=False)  # held bundles are decrypted: unlock first
    decision = approve_device(
        context.home, context.store(), args.device_id, args.facility, code=args.code
    )
    d = decision.device
    print(
        _("Approved device {device} (enrolment code {code}) for {codes}.").format(
            device=d.device_id, code=d.enrol_code, codes=", ".join(d.facilities)
        )
    )
    refused = 0
    for outcome in decision.outcomes:
        print(outcome.summary())
        refused += not outcome.imported
    return 2 if refused else 0


def cmd_revoke(context: Any, args: argparse.Namespace) -> int:
    from guidecheck.bundles.approval import revoke_device

    d = revoke_device(context.store(), args.device_id, code=args.code)
    print(
        _("Revoked device {device} (enrolment code {code}); its later bundles are refused.").format(
            device=d.device_id, code=d.enrol_code
        )
    )
    return 0


def cmd_refuse(context: Any, args: argparse.Namespace) -> int:
    from guidecheck.bundles.approval import refuse_device

    d, dropped = refuse_device(context.store(), args.device_id, code=args.code)
    print(
        _("Refused device {device} (enrolment code {code}); {n} held bundles deleted.").format(
            device=d.device_id, code=d.enrol_code, n=dropped
        )
    )
    return 0


def cmd_transfer(context: Any, args: argparse.Namespace) -> int:
    from guidecheck.bundles.approval import transfer_lineage

    transfer_lineage(context.store(), args.lineage_id, args.to_device)
    print(
        _("Device {device} may now add revisions to lineage {id}.").format(
            device=args.to_device, id=args.lineage_id
        )
    )
    return 0
