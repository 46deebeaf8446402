"""Entry point and router: page config, sign-in gate, role-based navigation, shared filters."""

from __future__ import annotations

import streamlit as st

from ui import chrome, upload_gate
from ui.filters import render_sidebar_filters
from ui.nav import DEFAULT_PAGE, FULL_SCREEN_URLS, PAGES, hidden_pages, visible_pages
from ui.return_to import remember_request, requested_page
from ui.signin import demo_banner, sign_in_gate

st.set_page_config(page_title="CCHC Khánh Hòa", page_icon=":material/account_balance:", layout="wide")
upload_gate.install()  # only sessions signed in with the upload right may send files (ui/upload_gate.py)
chrome.apply()  # Streamlit's English chrome hidden or made Vietnamese

# Reserved before the sign-in gate draws the account box, so title and filters come first.
sidebar_top = st.sidebar.container()
remember_request()  # a shared link opened while signed out is opened again after sign-in
actor = sign_in_gate()
# A bookmark of /tong-quan is answered at the root (ui/chrome.py); writing the filters into the address in that
# run would make the browser drop the page it just drew, so the address is left alone until the next run.
asked_default_by_name = chrome.requested_page() == chrome.DEFAULT_URL
sections: dict[str, list[st.Page]] = {}
for spec in visible_pages(actor.role):
    sections.setdefault(spec.section, []).append(
        st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path,
                default=spec.default))
# Forbidden pages stay routable but hidden: reached by URL they show only the refusal (ui.signin.guard).
hidden = [st.Page(s.path, title=s.title, url_path=s.url_path, visibility="hidden") for s in hidden_pages(actor.role)]
hidden += [p for p in (chrome.not_found_page((s.url_path for s in PAGES), DEFAULT_PAGE.url_path),)
           if p is not None]  # Vietnamese 404
st.session_state["visible_pages"] = [s.title for s in visible_pages(actor.role)]
navigation = st.navigation({**sections, "": hidden} if hidden else sections)
wanted = requested_page(navigation.url_path)
if wanted is not None:
    by_path = {p.url_path: p for pages in sections.values() for p in pages} | {p.url_path: p for p in hidden}
    target = by_path.get(wanted[0]) or navigation
    st.switch_page(target, query_params=wanted[1])
sidebar_top.title("CCHC Khánh Hòa")
if navigation.url_path not in FULL_SCREEN_URLS:  # slides carry their own "Dữ liệu mẫu" footer
    demo_banner(sidebar_top)  # one small line in the sidebar: the page's first screen is for the figures
render_sidebar_filters(sidebar_top, write_link=not asked_default_by_name)
navigation.run()
