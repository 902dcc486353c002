"""Sign-in for the pages: who is signed in, the login form where an analyst
action needs one, and the sign-out button. The rules (roles, password
checks, throttling) live in tracker.auth."""

from __future__ import annotations

import importlib.util

import streamlit as st

from tracker import auth
from tracker.errors import TrackerError
from tracker.i18n import t
from tracker.text import literal

SESSION_KEY = "auth_user"


def settings() -> auth.Settings:
    """The [auth] settings from Streamlit's secrets (none: view only)."""
    secrets = st.secrets.to_dict() if st.secrets.load_if_toml_exists() else {}
    return auth.Settings.from_secrets(secrets)


def current_user(config: auth.Settings) -> auth.User | None:
    """The signed-in user: through OIDC (st.user) when configured, else the
    password login kept in this session."""
    if config.oidc and st.user.get("is_logged_in"):
        return auth.oidc_user(st.user.get("email"), config)
    user = st.session_state.get(SESSION_KEY)
    entry = config.users.get(user.name) if user is not None else None
    if entry is None:  # never signed in, or removed from the secrets since
        st.session_state.pop(SESSION_KEY, None)
        return None
    return auth.User(user.name, entry["role"])  # the role as the secrets say now


def sidebar(config: auth.Settings, lang: str) -> auth.User | None:
    """The signed-in user's name and a sign-out button in the sidebar (call
    once per page); returns the user."""
    user = current_user(config)
    if user is None:
        return None
    st.sidebar.caption(t("auth.signed_in_as", lang, name=literal(user.name), role=t(f"auth.role.{user.role}", lang)))
    if st.sidebar.button(t("auth.sign_out", lang), key="sign_out"):
        if config.oidc and st.user.get("is_logged_in"):
            st.logout()
        st.session_state.pop(SESSION_KEY, None)
        st.rerun()
    return user


def require(action: str, config: auth.Settings, lang: str) -> bool:
    """True when the signed-in user may do `action`; otherwise show why and
    a login form in the page and return False (the caller shows nothing
    more of that action)."""
    user = current_user(config)
    if auth.may(user, action, config):
        return True
    if user is not None:
        st.warning(t("auth.needs_role", lang, name=literal(user.name), role=t("auth.role.analyst", lang)))
        return False
    st.info(t(f"auth.needs_login.{action}", lang))
    login_form(config, lang, action)
    return False


def login_form(config: auth.Settings, lang: str, action: str) -> None:
    """The OIDC button when st.login is configured, else the password form."""
    if config.oidc:
        if importlib.util.find_spec("authlib") is None:
            st.error(t("auth.oidc_needs_authlib", lang))
        else:
            providers = auth.oidc_providers(st.secrets.get("auth", {}))
            for provider in providers:
                label = t("auth.sign_in_with", lang, provider=provider if provider != "default" else "OIDC")
                if st.button(label, key=f"oidc_{action}_{provider}"):
                    st.login(None if provider == "default" else provider)
        return
    if not config.users:
        st.warning(t("auth.no_users", lang))
        return
    with st.form(f"login_{action}", clear_on_submit=True):
        name = st.text_input(t("auth.name", lang), key=f"login_{action}_name")
        password = st.text_input(t("auth.password", lang), type="password", key=f"login_{action}_password")
        submitted = st.form_submit_button(t("auth.sign_in", lang), key=f"login_{action}_submit")
    if submitted:
        try:
            st.session_state[SESSION_KEY] = auth.sign_in(config, name, password)
        except TrackerError as exc:
            st.error(exc.message(lang, escape=literal))
            return
        st.rerun()
