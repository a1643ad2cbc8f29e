"""What one hand call's result means, in the project's own words: its log row, and a sentence when it failed.

Qt's own words (error() and errorString(), its warnings) are shown as Qt says
them, after a lead of ours; where Qt says nothing, or keeps an earlier call's
error, the lead alone says why.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

from shareimg.qt.steplog import step_word
from shareimg.teach.hand_calls import Outcome
from shareimg.teach.qt_calls import (
    ALREADY_ATTACHED,
    GAVE_BACK,
    LOCK_GONE,
    NOT_AN_IMAGE,
    NOT_ATTACHED,
    NOT_LOCKED,
    NOTHING_SHARED,
    TOO_SMALL,
)
from shareimg.ui.labels import sentences

translate = QCoreApplication.translate

_QT_CALLS = {"setKey", "create", "attach", "lock", "unlock", "detach"}


def _leads() -> dict[str, str]:
    return {
        ALREADY_ATTACHED: translate("StepNotes", "already attached (Qt sets no error)"),
        NOT_ATTACHED: translate("StepNotes", "not attached (Qt sets no error)"),
        NOT_LOCKED: translate("StepNotes", "this window holds no lock (Qt sets no error)"),
        TOO_SMALL: translate("StepNotes", "the image does not fit in the segment"),
        NOTHING_SHARED: translate("StepNotes", "no image in the segment yet"),
        NOT_AN_IMAGE: translate("StepNotes", "the segment's bytes are not an image"),
        LOCK_GONE: translate("StepNotes", "the key's lock was removed"),
    }


def call_name(outcome: Outcome, parentheses: bool = True) -> str:
    """The call as a sentence names it (``attach()``), or as its log row does (``attach``)."""
    name = f"{outcome.call}()" if parentheses and outcome.call in _QT_CALLS else step_word(outcome.call)
    return translate("StepNotes", "stand-in: {}").format(name) if outcome.stand_in else name


def result_lines(outcome: Outcome) -> list[str]:
    """Ok or false with what the call worked on; then why not, in our words; then each of Qt's answers."""
    said = translate("StepLog", "ok") if outcome.ok else translate("TeachDock", "false")
    if outcome.detail and outcome.reason not in (NOTHING_SHARED, NOT_AN_IMAGE):  # those details are English
        said += f" {outcome.detail}"
    lead = [_leads()[outcome.reason]] if outcome.reason else []
    return [said, *lead, *(part for part in outcome.qt.split("; ") if part)]


def result_text(outcome: Outcome) -> str:
    """The result on one line, as its log row shows it."""
    said, *why = result_lines(outcome)
    return f"{said} — {': '.join(why)}" if why else said


def note(outcome: Outcome, provider: bool) -> str:
    """One sentence on a failure a newcomer meets in the article's order, or on how to go on; "" if none."""
    if outcome.ok and outcome.call != "lock" and GAVE_BACK in outcome.qt:
        return translate(
            "StepNotes",
            "{}() takes the lock itself: this window held it already (Qt's warning), and the call gave it "
            "back on return, so this window holds no lock now.",
        ).format(outcome.call)
    if outcome.ok:
        return ""
    if outcome.reason == LOCK_GONE:
        return translate(
            "StepNotes",
            "Qt's lock of this key was removed under this window (the QSharedMemory that made it was deleted); "
            "Qt has let go of it now: click setKey() to start again, then create() or attach().",
        )
    if outcome.reason == NOT_ATTACHED and outcome.call == "detach":
        if provider:
            return translate(
                "StepNotes",
                "detach() returned false: normal here, nothing is attached yet (program A detaches in case it "
                "still held a segment); Qt sets no error.",
            )
        return translate("StepNotes", "detach() returned false: normal, this window is not attached; Qt sets no error.")
    if outcome.reason == NOT_LOCKED:
        return translate(
            "StepNotes",
            "unlock() returned false: normal when this window holds no lock (its lock() failed or was not "
            "made, or a later call gave it back); Qt sets no error.",
        )
    if outcome.reason == ALREADY_ATTACHED:
        return translate("StepNotes", "attach() returned false: this window is attached already; Qt sets no error.")
    if outcome.reason == NOT_ATTACHED:
        return translate("StepNotes", "This window is not attached, so data() is null: create() or attach() first.")
    if outcome.reason == TOO_SMALL:
        return translate(
            "StepNotes", "The image does not fit: a segment keeps the size it was created with ({})."
        ).format(outcome.detail)
    if outcome.reason == NOTHING_SHARED:
        return translate("StepNotes", "The segment holds no image yet: the provider's copy writes one.")
    if outcome.qt.startswith("KeyError"):
        return translate(
            "StepNotes", "Every call fails with KeyError until setKey() names the segment: click setKey()."
        )
    if outcome.call == "create" and "AlreadyExists:" in outcome.qt:
        return translate(
            "StepNotes",
            "create() fails with AlreadyExists: a segment exists under this key already (this window's or "
            "the other program's).",
        )
    if outcome.call == "attach" and "NotFound:" in outcome.qt:
        return translate(
            "StepNotes", "attach() fails with NotFound: nothing is created under this key yet; create() comes first."
        )
    return ""


def listed(items: Iterable[str]) -> str:
    """Items one after another, as "setKey(), attach()" (in Chinese with 、)."""
    return translate("StepNotes", ", ").join(items)


def clauses(items: Iterable[str]) -> str:
    """Clauses of one sentence one after another, as "a; b" (in Chinese with ；)."""
    return translate("StepNotes", "; ").join(items)


def with_note(sentence: str, outcome: Outcome, provider: bool) -> str:
    """``sentence``, then the note on ``outcome`` if it has one."""
    more = note(outcome, provider)
    return sentences(sentence, more)


def failed(sentence: str, outcome: Outcome, provider: bool) -> str:
    """``sentence`` ("… {} returned false ({}).") filled with the call and why it failed, then the note on it."""
    return with_note(sentence.format(call_name(outcome), result_text(outcome).partition(" — ")[2]), outcome, provider)


def unexpected(outcome: Outcome, provider: bool) -> str:
    """A result the mistake did not expect, said as it was."""
    if outcome.ok:
        return with_note(translate("StepNotes", "Unexpected: {} worked.").format(call_name(outcome)), outcome, provider)
    return failed(translate("StepNotes", "Unexpected: {} returned false ({})."), outcome, provider)
