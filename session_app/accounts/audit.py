"""The audit log: what happened to an account, recorded without personal data."""

from __future__ import annotations

import logging

from sqlmodel import Session

from session_app.models import AuditEvent

log = logging.getLogger(__name__)


def audit(db: Session, action: str, account: int | None, detail: str = "") -> None:
    """Record what happened (no addresses, tokens or names), and log it."""
    db.add(AuditEvent(action=action, account=account, detail=detail[:200]))
    log.info("audit: %s account=%s %s", action, account, detail)
