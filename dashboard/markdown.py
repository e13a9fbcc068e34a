"""User data in Streamlit's markdown, shown as typed (issue 10).

st.markdown, st.caption, st.error and the rest render markdown: a case title or a search such
as `![x](http://…/beacon.png) [会话已过期，点此重新登录](http://…/phish)` would make the browser
fetch an image and show a working link. Anything that came from a file, a URL or a person goes
through `plain()` before it reaches one of them: every markdown character is escaped, so no
link, image, heading, emphasis, directive (:red[…], :material/…:) or formula ($…$) comes of it.
"""

from __future__ import annotations

import re

# Anywhere in a line: links, images, autolinks (www. and e-mail too), HTML and entities,
# emphasis, code, directives, formulas. At the start: a list marker or a heading underline.
_INLINE = re.compile(r"([\\`*_{}\[\]()<>#!|~:$&.@])")
_LINE_START = re.compile(r"^([-+=])")


def plain(text: object) -> str:
    """The text as markdown that shows exactly the text, on one line."""
    escaped = _INLINE.sub(r"\\\1", "" if text is None else str(text))
    return _LINE_START.sub(r"\\\1", " ".join(escaped.splitlines()).lstrip())
