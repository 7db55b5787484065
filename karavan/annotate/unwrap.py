"""Hard line breaks inside a sentence, read as spaces.

Crawled texts are often wrapped at a fixed width ("Kyrgyzstan and\\nRussia discussed", "reached $2.568 billion
from\\nJanuary through November 2023", "$2.203\\nbillion"). A single line break is a space when the line
before it does not end a sentence and the text runs on: the next line starts in lower case (or with a
digit, a bracket, a currency sign), or the line ends with a comma or a word that cannot end a sentence (a
conjunction, a preposition, an article: karavan/data/lexicon/*.toml [lines]). A title line followed by a
capitalised line, a blank line, a list item or a line ending in punctuation is left as it is.

The view keeps its map: one character stands for one, so offsets do not move.

Reads: the annotate stage's view (doc.norm). Sets: nothing; returns the view with those breaks as spaces.
"""

from __future__ import annotations

import re
from functools import cache

from karavan.annotate.lexicon import load_lexicon
from karavan.doc import View

TERMINAL = '.!?…:;"»)]'
NEXT_RUNS_ON = re.compile(r"[^\W\d_]", re.UNICODE)


@cache
def _run_on_words() -> frozenset[str]:
    return frozenset(w.lower() for w in load_lexicon().words("lines.continue_after"))


def _continues(line: str, nxt: str) -> bool:
    body = line.rstrip()
    head = nxt.lstrip()
    if not body or not head or head[0] in "-•*–—" or body[-1] in TERMINAL:
        return False
    first = head[0]
    if first.islower() or first.isdigit() or first in '($€₸«"':
        return True
    if body[-1] in ",-":
        return True
    last = re.search(r"(\w+)$", body)
    return bool(last) and last.group(1).lower() in _run_on_words()


def unwrap_lines(view: View) -> View:
    text = view.text
    if "\n" not in text:
        return view
    chars = None
    lines = text.split("\n")
    pos = 0
    for i in range(len(lines) - 1):
        pos += len(lines[i])
        if lines[i].strip() and lines[i + 1].strip() and _continues(lines[i], lines[i + 1]):
            if chars is None:
                chars = list(text)
            chars[pos] = " "
        pos += 1
    if chars is None:
        return view
    return type(view)("".join(chars), view.to_orig)
