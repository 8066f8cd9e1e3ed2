"""The signed-in person's theme, applied by the page itself on every load and device.

The theme is the browser's to apply (Reflex keeps it in local storage), so a fresh
browser would show the default until told. An effect on the account's theme sets it
as soon as the state arrives, and again whenever it changes; no script races the page.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var, VarData
from reflex_base.constants import ColorMode
from reflex_base.style import _color_mode_var
from reflex_base.utils.imports import ImportVar

from session_app.states.account import AccountState


class AccountTheme(rx.Fragment):
    def add_hooks(self) -> list[str | Var]:
        theme = AccountState.account_theme
        set_color_mode = _color_mode_var(_js_expr=ColorMode.SET)
        return [
            Var(
                f"useEffect(() => {{ if ({theme!s}) {{ {set_color_mode!s}({theme!s}); }} }}, [{theme!s}])",
                _var_data=VarData.merge(
                    theme._get_all_var_data(),
                    set_color_mode._get_all_var_data(),
                    VarData(imports={"react": [ImportVar(tag="useEffect")]}),
                ),
            )
        ]


def account_theme() -> rx.Component:
    return AccountTheme.create()
