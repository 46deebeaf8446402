"""The thin Streamlit shell shared by the pages: cached reads, filters, formatting, downloads.

Widget keys (one rule for every page and for the shell; tests/test_widget_keys.py checks it):
- A widget gets a key when its value is read back from `st.session_state`, when a test or a shared
  link addresses it, or when it could otherwise repeat on one run; not otherwise.
- Keys are lower-case ASCII snake_case, and a literal key appears in one file only: every page shares
  one session state, so a key names one widget of the whole app.
- Widgets of the shell drawn on every page carry their group's prefix: `f_` the sidebar filters
  (ui/filters.py), `login_` the sign-in form; the slides' controls carry `tc_`.
- A widget whose state belongs to one uploaded file ends with the file's hash, `ky_{sha[:12]}`, so a
  new file starts from a fresh widget.
"""
