"""The effect that carries out what handlers ask of the browser (states/browser.py),
mounted once for every page."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventChain
from reflex.vars import Var, VarData
from reflex_base.utils.imports import ImportVar
from reflex_components_sonner.toast import toast_ref

from session_app import browser_scripts
from session_app.states.browser import BrowserState


class BrowserActions(rx.Fragment):
    def add_hooks(self) -> list[str | Var]:
        requests = BrowserState.requests
        reply = Var.create(
            EventChain.create(
                value=BrowserState.replied,
                args_spec=lambda request_id, value: [request_id, value],
                key="reply",
            )
        )
        return [
            Var(
                browser_scripts.actions_effect(str(requests), str(reply), str(toast_ref)),
                _var_data=VarData.merge(
                    requests._get_all_var_data(),
                    reply._get_all_var_data(),
                    toast_ref._get_all_var_data(),
                    VarData(imports={"react": [ImportVar(tag="useEffect")]}),
                ),
            )
        ]


def browser_actions() -> rx.Component:
    return BrowserActions.create()
