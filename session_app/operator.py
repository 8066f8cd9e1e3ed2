"""Operator commands for support and the privacy team.

    .venv/bin/python -m session_app.operator --help

Uses the same settings (REFLEX_DB_URL, …) as the app. Every action is written to the
audit log without secrets or addresses.
"""

from __future__ import annotations

import argparse
import sys

from sqlmodel import col, select

from session_app.accounts.deletion import cancel_deletion, due_deletions, execute_deletion
from session_app.accounts.email_change import change_email
from session_app.accounts.export import export_account, user_id_for
from session_app.db import read_session
from session_app.media.storage import get_store
from session_app.models import AccountDeletion


def _change_email(args) -> int:
    try:
        user_id = change_email(args.old, args.new)
    except ValueError as refused:
        print(f"Not changed: {refused}", file=sys.stderr)
        return 1
    print(f"Account {user_id} now signs in with the new address; both addresses were emailed.")
    return 0


def _list_deletions(_args) -> int:
    with read_session() as db:
        rows = db.exec(select(AccountDeletion).order_by(col(AccountDeletion.id))).all()
    print(f"{'id':>5} {'account':>8}  {'state':<22} scheduled for (UTC)")
    for row in rows:
        state = (
            "done"
            if row.completed_at
            else "cancelled"
            if row.cancelled_at
            else f"in progress: {row.done_steps}"
            if row.done_steps
            else "scheduled"
            if row.scheduled_for
            else "awaiting confirmation"
        )
        when = f"{row.scheduled_for:%Y-%m-%d %H:%M}" if row.scheduled_for else "-"
        print(f"{row.id:>5} {row.user_id:>8}  {state:<22} {when}")
    return 0


def _cancel_deletion(args) -> int:
    with read_session() as db:
        row = db.get(AccountDeletion, args.id)
    if row is None or not cancel_deletion(row.user_id, by="operator"):
        print("Nothing to cancel: no pending request, or its deletion has already started.", file=sys.stderr)
        return 1
    print(f"Deletion {args.id} cancelled.")
    return 0


def _execute_deletions(args) -> int:
    ids = due_deletions() if args.due else [args.id]
    for deletion_id in ids:
        if deletion_id is None:
            continue
        done = execute_deletion(deletion_id, get_store())
        print(
            f"Deletion {deletion_id}: {'done' if done else 'not confirmed, cancelled, or running elsewhere'}"
        )
    if not ids:
        print("No deletion is due.")
    return 0


def _export(args) -> int:
    user_id = user_id_for(args.email)
    if user_id is None:
        print("No account has that address.", file=sys.stderr)
        return 1
    print(export_account(user_id))
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m session_app.operator", description=__doc__.splitlines()[0])
    commands = main.add_subparsers(dest="command", required=True)

    change = commands.add_parser(
        "change-email", help="move an account to a new email address (both are told)"
    )
    change.add_argument("old")
    change.add_argument("new")
    change.set_defaults(run=_change_email)

    deletions = commands.add_parser("deletions", help="list, cancel or carry out deletion requests")
    actions = deletions.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="every request and its state").set_defaults(run=_list_deletions)
    cancel = actions.add_parser("cancel", help="cancel a pending request")
    cancel.add_argument("id", type=int)
    cancel.set_defaults(run=_cancel_deletion)
    execute = actions.add_parser("execute", help="carry out a confirmed request now (or every due one)")
    which = execute.add_mutually_exclusive_group(required=True)
    which.add_argument("id", type=int, nargs="?")
    which.add_argument("--due", action="store_true", help="every request whose grace period has ended")
    execute.set_defaults(run=_execute_deletions)

    export = commands.add_parser("export", help="print one account's data as JSON")
    export.add_argument("email")
    export.set_defaults(run=_export)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
