"""User- and data-written text shown literally: no Markdown, no HTML, no emoji or colour codes.

Streamlit renders the text of st.markdown, st.caption, st.info, st.error, labels... as
Markdown. A task text, file name, agency name or note coming from the store or a user
must not be interpreted: a stored ``![x](http://evil/x.png)`` would make every viewer's
browser fetch that address, ``**x**`` would turn bold, ``:red[x]`` would change colour.
"""

from __future__ import annotations

import html
import re

# CommonMark lets every ASCII punctuation character be escaped with a backslash; escaping
# all of them also covers Streamlit's extensions (:emoji:, :color[...], $math$, <html>).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def plain(value: object) -> str:
    """``value`` as text that Markdown renders literally (None becomes an empty string).

    Line breaks stay line breaks; everything else appears exactly as stored.
    """
    if value is None:
        return ""
    return _PUNCTUATION.sub(r"\\\1", str(value))


_MARKDOWN_IN_HTML = re.compile(r"[!()*\[\]_`:$~|\\{}]")


def html_text(value: object) -> str:
    """``value`` for the inside of an HTML block (st.markdown with unsafe_allow_html=True).

    HTML-escaped; the characters Markdown and Streamlit's extensions react to become
    numeric character references (the browser shows them as typed, whatever the Markdown
    parser does with the block); line breaks become ``<br>`` because a blank line would
    end the HTML block.
    """
    if value is None:
        return ""
    escaped = _MARKDOWN_IN_HTML.sub(lambda m: f"&#{ord(m.group())};", html.escape(str(value)))
    return "<br>".join(escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
