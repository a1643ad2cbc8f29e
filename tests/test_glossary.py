"""One Chinese word for each of the article's terms (the .ts's Glossary), and no line left with one character."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtGui import QFont, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel

from shareimg.ui.glossary import glossary
from shareimg.ui.labels import MessageLabel
from shareimg.ui.translations import TRANSLATIONS

TS = TRANSLATIONS / "shareimg_zh_CN.ts"


def _terms(root: ET.Element) -> list[tuple[str, str, list[str]]]:
    """(term, its word, the words turned down) from the Glossary context."""
    context = next(context for context in root.iter("context") if context.findtext("name") == "Glossary")
    return [
        (
            message.findtext("source") or "",
            message.findtext("translation") or "",
            [word.strip() for word in (message.findtext("extracomment") or "").removeprefix("never:").split(",")],
        )
        for message in context.iter("message")
    ]


def second_words(ts: Path) -> list[str]:
    """Where a translation says a term another way: a word the glossary turned down, or a source with the term
    whose translation has neither the glossary's word nor the English call (as in ``detach()``)."""
    root = ET.parse(ts).getroot()
    messages = [
        (message.findtext("source") or "", message.findtext("translation") or "")
        for context in root.iter("context")
        if context.findtext("name") != "Glossary"
        for message in context.iter("message")
    ]
    found = []
    for term, word, never in _terms(root):
        english = re.compile(rf"\b{term}", re.I)  # "provider's", "detached" too
        for source, translation in messages:
            found += [f"{term}: {other!r} in {translation!r}" for other in never if other and other in translation]
            if english.search(source) and not english.search(translation) and word not in translation:
                found.append(f"{term}: {source!r} -> {translation!r} has no {word!r}")
    return found


def test_the_glossary_has_every_term_translated():
    terms = _terms(ET.parse(TS).getroot())
    assert [term for term, _, _ in terms] == list(glossary())
    assert all(word and never for _, word, never in terms)


def test_one_chinese_word_for_each_term():
    assert second_words(TS) == []


def test_a_second_word_is_found(tmp_path):
    """The check fails on what it is there to catch: a word turned down, and a term said some other way."""
    text = TS.read_text(encoding="utf-8")
    glossary_context = re.search(r"<context>\s*<name>Glossary</name>.*?</context>", text, re.S)[0]
    ts = tmp_path / "two_words.ts"
    ts.write_text(
        f"<TS>{glossary_context}<context><name>X</name>"
        "<message><source>The provider writes.</source><translation>提供方写入。</translation></message>"
        "<message><source>Detach now.</source><translation>现在走开。</translation></message>"
        "<message><source>The consumer reads.</source><translation>消费者读取。</translation></message>"
        "</context></TS>",
        encoding="utf-8",
    )
    found = second_words(ts)
    assert any("'提供方'" in line for line in found) and any(line.startswith("detach:") for line in found)
    assert not any(line.startswith("consumer:") for line in found)


def _lines(text: str, width: int) -> list[str]:
    layout = QTextLayout(text, QFont("WenQuanYi Micro Hei", 10))
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    lines = []
    layout.beginLayout()
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(text[line.textStart() : line.textStart() + line.textLength()])
    layout.endLayout()
    return lines


def _orphans(text: str) -> list[tuple[int, list[str]]]:
    """The widths at which the last line holds at most one character and its punctuation ('了。')."""
    found = []
    for width in range(150, 420, 6):  # narrower, a word like "(SEM_UNDO)" itself breaks
        lines = _lines(text, width)
        last = re.sub(r"[\s\u2060]", "", lines[-1])
        if len(lines) > 1 and len(re.sub(r"[。，、；：！？）」”…]", "", last)) <= 1:
            found.append((width, lines))
    return found


def test_no_line_holds_only_a_character_and_its_full_stop(qapp):
    """Chinese may wrap between any two characters; the end of a sentence is kept together."""
    sentence = "解锁：消费者现在可以读取了。"
    assert _orphans(sentence), "the check finds nothing to keep together: it cannot fail"
    label = MessageLabel()
    for message in ET.parse(TS).iter("message"):
        label.setText(message.findtext("translation") or "")
        assert _orphans(QLabel.text(label)) == [], label.text()  # as the label shows it
