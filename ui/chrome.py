"""Streamlit's own chrome, made Vietnamese or hidden: what a leader sees besides our pages.

Streamlit has no translation for its interface. What cannot be translated is hidden:
the options menu (`client.toolbarMode = "minimal"` in .streamlit/config.toml hides it),
the chart/table toolbars ("Show data", "Download as CSV", "Search", fullscreen: every table
has our own Excel download and every chart its PNG), and the "Running…/Stop" status, which
is replaced by a Vietnamese "Đang cập nhật…". An unknown address gets a Vietnamese page
instead of Streamlit's "Page not found" dialog, and before sign-in the navigation holds
the pages hidden, so the sign-in page lists none of them.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from ui.nav import DEFAULT_PAGE, PAGES

DEFAULT_URL = DEFAULT_PAGE.url_path  # the default page of dashboard.py's navigation

CSS = """<style>
.st-key-cchc_chrome {display: none !important;}
/* Chart and table toolbars: "Show data", "Download as CSV", "Search", "Fullscreen" (English only). */
[data-testid="stElementToolbar"] {display: none !important;}
/* The options menu (Print, Record a screencast, About / Made with Streamlit) and the deploy button. */
[data-testid="stMainMenu"], [data-testid="stAppDeployButton"], .stDeployButton {display: none !important;}
/* "Running... / Stop": kept in the DOM (tests wait for it to go) but reads "Đang cập nhật…". */
[data-testid="stStatusWidget"] * {display: none !important;}
[data-testid="stStatusWidget"]::after {content: "Đang cập nhật…"; font-size: 14px; color: #555;
                                        padding: 0 .6rem;}
/* Vega's own action menu (Save as SVG, View Source, Open in Vega Editor) should it be enabled. */
.vega-embed details, .vega-embed .vega-actions {display: none !important;}
/* The red numbers of the headline cards are red when not zero (the card's key ends in _hot). */
[class*="st-key-kpi_"][class*="_hot"] [data-testid="stMetricValue"] {color: #b71c1c;}
/* A row of a phone list (ui/phone.py): a grey bar at its left, red for the rows that come first. */
[class*="st-key-phone_row_"] {border-left: 4px solid #c9c9c9; padding: .1rem 0 .2rem .5rem; gap: 0 !important;}
[class*="st-key-phone_row_"][class*="_red"] {border-left-color: #b71c1c;}
[class*="st-key-phone_row_"] [data-testid="stPageLink"] p {font-weight: 600; white-space: normal !important;}
/* The demo-mode line in the sidebar: a small grey note, not a banner. */
.st-key-demo_note p {font-size: 13px; color: #8a5a00;}
/* A phone (a leader between meetings, 390 px wide). Streamlit has no viewport API: the layout switches here.
   `wide-only` blocks (wide tables) hide and `phone-only` blocks (red-first lists) show; KPI cards sit
   two to a row with the red numbers first; titles and paddings shrink so the figures reach the first screen. */
@media (min-width: 641px) {
  [class*="st-key-phone_only"] {display: none !important;}
}
@media (max-width: 640px) {
  [class*="st-key-wide_only"] {display: none !important;}
  [data-testid="stMainBlockContainer"] {padding: 3.2rem .75rem 2.5rem !important;}
  [data-testid="stMain"] h1 {font-size: 1.55rem !important; line-height: 1.25 !important; padding: .2rem 0 .1rem !important;}
  [data-testid="stMain"] h2 {font-size: 1.3rem !important;}
  [data-testid="stMain"] h3 {font-size: 1.12rem !important; padding-top: .6rem !important;}
  [data-testid="stMain"] [data-testid="stCaptionContainer"] p {font-size: 12.5px !important;}
  .st-key-kpi_cards {gap: .5rem !important;}
  .st-key-kpi_cards [data-testid="stHorizontalBlock"] {flex-wrap: wrap !important; gap: .5rem !important;}
  .st-key-kpi_cards [data-testid="stColumn"] {min-width: calc(50% - .25rem) !important; width: calc(50% - .25rem) !important;
                                             flex: 1 1 calc(50% - .25rem) !important;}
  .st-key-kpi_cards [data-testid="stMetric"] {padding: .3rem .55rem !important;}
  .st-key-kpi_cards [data-testid="stMetric"] > div {padding: 0 !important;}
  .st-key-kpi_cards [data-testid="stMetricValue"], .st-key-kpi_cards [data-testid="stMetricValue"] > div
    {font-size: 1.55rem !important; line-height: 1.3 !important;}
  .st-key-kpi_cards [data-testid="stMetricLabel"] p {font-size: 12.5px !important; white-space: normal !important;}
  .st-key-kpi_cards [data-testid="stMetricLabel"], .st-key-kpi_cards [data-testid="stMetricLabel"] * {
    overflow: visible !important; text-overflow: clip !important; white-space: normal !important; height: auto !important;}
  .st-key-kpi_cards [data-testid="stMetricDelta"] p {white-space: normal !important;}
  .st-key-kpi_cards [data-testid="stMetricDelta"] {font-size: 12px !important;}
  /* Red numbers first: overdue, then targets not met, then due soon; the headline indices after them. */
  .st-key-kpi_cards [data-testid="stColumn"]:has([class*="st-key-kpi_overdue"]) {order: -3;}
  .st-key-kpi_cards [data-testid="stColumn"]:has([class*="st-key-kpi_red"]) {order: -2;}
  .st-key-kpi_cards [data-testid="stColumn"]:has(.st-key-kpi_soon) {order: -1;}
  .st-key-kpi_cards > div:has(.st-key-kpi_tasks), .st-key-kpi_cards > .st-key-kpi_tasks {order: -1;}
}
</style>"""


# Streamlit's hidden "Skip to main content" link (shown on the first Tab press) and other English labels
# that stay useful are translated in place; re-applied when Streamlit redraws them. Enter applies a
# typed date.
JS = r"""<script>
(function () {
  if (window.__cchcChrome) return;
  window.__cchcChrome = true;
  const VI = {"Skip to main content": "Chuyển đến nội dung chính"};
  function translate() {
    document.querySelectorAll("a").forEach(function (el) {
      const text = el.textContent.trim();
      if (VI[text] && el.children.length === 0) el.textContent = VI[text];
    });
    // The menu's "View 3 more" / "View less" (shown when there are many pages): its text nodes, in place.
    document.querySelectorAll('[data-testid="stSidebarNavViewButton"]').forEach(function (el) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const more = node.nodeValue.match(/^View (\d+) more$/);
        if (more) node.nodeValue = "Xem thêm " + more[1] + " trang";
        else if (node.nodeValue === "View less") node.nodeValue = "Thu gọn";
      }
    });
  }
  translate();
  // A date typed into Streamlit's date field is applied only when focus leaves the field; Enter does
  // nothing. Enter moves focus to an invisible sink outside the field, so the typed date is applied.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || !ev.target || !ev.target.closest) return;
    if (!ev.target.closest('[data-testid="stDateInputField"]')) return;
    ev.preventDefault();
    let sink = document.getElementById("cchc-focus-sink");
    if (!sink) {
      sink = document.createElement("span");
      sink.id = "cchc-focus-sink";
      sink.tabIndex = -1;
      sink.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;pointer-events:none";
      document.body.appendChild(sink);
    }
    sink.focus();
  }, true);
  // On a phone the sidebar lies over the page and Streamlit leaves it open after a tap on a page of the
  // menu: the page asked for stays hidden under it. A tap on a menu link closes it (phones only: at 768 px
  // and below, where Streamlit draws the sidebar over the page instead of beside it).
  document.addEventListener("click", function (ev) {
    if (window.innerWidth > 768 || !ev.target || !ev.target.closest) return;
    if (!ev.target.closest('[data-testid="stSidebarNav"] a')) return;
    setTimeout(function () {
      const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button')
        || document.querySelector('[data-testid="stSidebar"] [data-testid="stSidebarHeader"] button');
      if (close) close.click();
    }, 60);
  }, true);
  let pending = false;  // at most once per frame, however busy the page
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; translate(); });
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
})();
</script>"""


def apply() -> None:
    """Inject the CSS and the translating script; call once per run, first thing after st.set_page_config."""
    st.html(CSS)
    with st.container(key="cchc_chrome"):  # hidden: the script needs an element, the page no gap
        st.html(JS, unsafe_allow_javascript=True)


def _not_found() -> None:
    st.title("Không tìm thấy trang")
    st.write("Địa chỉ này không có trong hệ thống theo dõi cải cách hành chính. Có thể đường dẫn bị gõ sai "
             "hoặc trang đã đổi tên.")
    st.page_link(PAGES[0].path, label="Về trang Tổng quan", icon=":material/home:")


def requested_page() -> str:
    """The page name of the address the browser asked for ("" for the root), from Streamlit's page manager."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is None or ctx.pages_manager.intended_page_script_hash:
            return ""  # a click in the menu names the page by hash: always a known page
        return str(ctx.pages_manager.intended_page_name or "").strip("/")
    except Exception:  # internal API moved: fall back to Streamlit's own handling
        return ""


def not_found_page(known: Iterable[str], default_url: str = "") -> st.Page | None:
    """A hidden page answering the unknown address that was asked for, or None when it is known.

    Registered under the asked-for path, Streamlit resolves to it instead of sending its English
    "Page not found" dialog; the address stays as typed and the page says so in Vietnamese.
    `default_url` names the default page, which Streamlit serves at the root only: asked for by its
    own name (a bookmark of /tong-quan) it is opened at the root instead of a "Page not found".
    """
    name = requested_page()
    if default_url and name == default_url:
        _open_default_instead()
        return None
    if not name or name in set(known) or "/" in name:
        return None
    return st.Page(_not_found, title="Không tìm thấy trang", url_path=name, visibility="hidden")


def _open_default_instead() -> None:
    """Resolve this run to the default page, as Streamlit does for the root address."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is not None:
            ctx.pages_manager.set_script_intent("", "")
    except Exception:  # internal API moved: Streamlit's own "Page not found" then shows, nothing worse
        return


def signed_out_navigation() -> None:
    """Before sign-in: every page registered hidden (never run) and the navigation not drawn.

    Without an st.navigation call, a fresh server falls back to listing the pages/ folder
    (raw file names, admin pages included) on the sign-in page until someone signs in.
    Registering the real url paths also keeps an asked-for address valid across sign-in.
    """
    # The same default page as after sign-in (a page's identity is its url path): widgets drawn in the run
    # that signs in (the account box, "Đăng xuất") keep their identity in the next run.
    pages = [st.Page(p.path, title=p.title, url_path=p.url_path, default=p.url_path == DEFAULT_URL,
                     visibility="visible" if p.url_path == DEFAULT_URL else "hidden") for p in PAGES]
    missing = not_found_page([p.url_path for p in PAGES])
    if missing is not None:
        pages.append(missing)
    st.navigation(pages, position="hidden")


def pin_widget_identity() -> None:
    """Compute the identity of widgets drawn before st.navigation from the main script, in every run.

    st.navigation switches that hash to the main script's for whatever is drawn after it; before it,
    Streamlit uses the hash the run started with, which changes once the browser knows its page. The
    sign-in form and the account box are drawn before the navigation in some runs and after it in
    others (the run that signs in); pinned, they keep one identity, so no submit or click is lost.
    """
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState, get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is not None:
            ThreadState.update(active_script_hash=ctx.pages_manager.main_script_hash)
    except Exception:  # internal API moved: Streamlit's default identity
        return
