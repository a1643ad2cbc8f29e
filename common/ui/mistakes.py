"""The common mistakes of the article's calls, one click each: a scene, the calls, and what they did.

Each mistake first sets up the state it needs (:meth:`Mistake.plan`): this
window keyed, holding a segment or not, and where it needs the other program, a
*stand-in* for it -- a second QSharedMemory of this window under the same key.
Then it makes its calls, and :meth:`Mistake.judge` chooses the sentence from
the results they gave: what the mistake teaches when they are the ones it
shows, else "Unexpected: …" with what came instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage

from shareimg.assets import SAMPLE_IMAGE
from shareimg.teach.hand_calls import Outcome, SegmentFacts
from shareimg.transport.codecs import RAW, EncodedImage
from shareimg.ui.labels import sentences
from shareimg.ui.step_notes import unexpected

translate = QCoreApplication.translate


@dataclass(frozen=True)
class Call:
    name: str
    stand_in: bool = False  # on the stand-in for the other program, not the window's QSharedMemory
    unless_image: bool = False  # skipped if the segment holds an image once the calls before it are made
    releases: bool = False  # gives back what the calls before it took: made even after one of them failed


@dataclass(frozen=True)
class Scene:
    """The window as the mistake finds it."""

    provider: bool  # the provider's window (program A), else the consumer's (program B)
    keyed: bool  # setKey() was made
    holding: bool  # this window holds the lock
    facts: SegmentFacts


@dataclass(frozen=True)
class Plan:
    scene: list[Call]  # the calls that set up what the mistake needs
    calls: list[Call]  # the mistake
    cannot: str = ""  # why this window cannot set the scene, and what would: then no call is made


@dataclass(frozen=True)
class Results:
    """What the mistake's calls gave, and the segment around them."""

    outcomes: list[Outcome]
    before: SegmentFacts  # once the scene was set
    after: SegmentFacts
    provider: bool
    stand_in: bool  # the stand-in for the other program is attached


@dataclass(frozen=True)
class Mistake:
    title: str
    plan: Callable[[Scene], Plan]
    judge: Callable[[Results], str]


def stand_in_image() -> EncodedImage:
    """The image the stand-in for the provider writes: small, to fit even the consumer's 4,096-byte segment."""
    image = QImage(str(SAMPLE_IMAGE)).scaled(32, 24, Qt.AspectRatioMode.IgnoreAspectRatio)
    return RAW.encode(image.convertToFormat(QImage.Format.Format_ARGB32))


def _keyed(scene: Scene) -> list[Call]:
    return [] if scene.keyed else [Call("setKey")]


def _unlocked(scene: Scene) -> list[Call]:
    return [Call("unlock")] if scene.holding else []


def _holding_a_segment(scene: Scene) -> list[Call]:
    if scene.facts.attached:
        return []
    return [Call("attach" if scene.facts.size else "create")]


def _holding_none(scene: Scene) -> list[Call]:
    return [Call("detach")] if scene.facts.attached else []


def _failed_with(outcome: Outcome, error: str) -> bool:
    """Whether the call failed and Qt's error() in this very call was ``error``."""
    return not outcome.ok and any(part.startswith(error + ":") for part in outcome.qt.split("; "))


# --- Forget to unlock -------------------------------------------------------------------------


def _forget_unlock_plan(scene: Scene) -> Plan:
    # Unlocked first: Qt's create() and attach() take the lock, and give back one this window held.
    return Plan([*_keyed(scene), *_unlocked(scene), *_holding_a_segment(scene)], [Call("lock")])


def _forget_unlock_judge(results: Results) -> str:
    (lock,) = results.outcomes
    if not lock.ok or results.after.lock_pid != os.getpid():
        return unexpected(lock, results.provider)
    return translate(
        "Mistakes",
        "lock() worked and nothing unlocks it: the lock stays held by this window (pid {}). The other "
        "program's lock(), attach(), create() and detach() wait for it; if this process ended, the kernel "
        "would free it (SEM_UNDO). Next: click unlock() to give it back.",
    ).format(os.getpid())


# --- Create twice -----------------------------------------------------------------------------


def _create_twice_plan(scene: Scene) -> Plan:
    return Plan([*_keyed(scene), *_unlocked(scene), *_holding_none(scene)], [Call("create"), Call("create")])


def _create_twice_judge(results: Results) -> str:
    first, second = results.outcomes
    if first.ok and _failed_with(second, "AlreadyExists"):
        return translate(
            "Mistakes",
            "The first create() made the segment; the second fails with AlreadyExists: one key names one "
            "segment, and a program that finds it there attaches instead. Next: this window holds the "
            "segment; detach() leaves it, and the last detach removes it.",
        )
    if _failed_with(first, "AlreadyExists") and _failed_with(second, "AlreadyExists"):
        found = translate(
            "Mistakes",
            "A segment already existed under this key, kept by the other program ({} attached): both "
            "create() calls fail with AlreadyExists. A program that finds a segment attaches to it instead.",
        ).format(results.before.processes)
        if results.provider:
            then = translate("Mistakes", "Next: detach() in the other window frees the key; then create() here.")
        else:
            then = translate("Mistakes", "Next: click attach().")
        return sentences(found, then)
    surprise = first if not (first.ok or _failed_with(first, "AlreadyExists")) else second
    return unexpected(surprise, results.provider)


# --- Attach before anything is created -----------------------------------------------------------


def _attach_first_plan(scene: Scene) -> Plan:
    others = scene.facts.processes - (1 if scene.facts.attached else 0)
    if scene.facts.size and others > 0:  # only their last detach removes the segment
        if scene.provider:
            cannot = translate(
                "Mistakes",
                "Nothing was called: the consumer is attached to a segment under this key ({} attached), and "
                "this window cannot remove it, so attach() would simply work. The mistake needs no segment "
                "under the key: click detach() in the consumer's window, then choose this mistake again.",
            )
        else:
            cannot = translate(
                "Mistakes",
                "Nothing was called: the provider holds a segment under this key ({} attached), and this "
                "window cannot remove it, so attach() would simply work. The mistake needs no segment under "
                "the key: stop sharing there (detach() in the provider's window), then choose this mistake again.",
            )
        return Plan([], [], cannot.format(others))
    return Plan([*_keyed(scene), *_unlocked(scene), *_holding_none(scene)], [Call("attach")])


def _attach_first_judge(results: Results) -> str:
    (attach,) = results.outcomes
    if _failed_with(attach, "NotFound"):
        if results.provider:
            return translate(
                "Mistakes",
                "attach() fails with NotFound: no program has created a segment under this key yet. "
                "Next: create() makes it.",
            )
        return translate(
            "Mistakes",
            "attach() fails with NotFound: no program has created a segment under this key yet. "
            "Next: create() in the provider's window, then attach() here.",
        )
    return unexpected(attach, results.provider)


# --- Read without the lock ---------------------------------------------------------------------


def _read_unlocked_plan(scene: Scene) -> Plan:
    calls = [*_keyed(scene), *_unlocked(scene), *_holding_a_segment(scene)]
    if not (scene.facts.attached and scene.facts.payload):
        if scene.provider:
            calls += [Call("lock"), Call("copy"), Call("unlock")]
        else:  # the provider's segment may hold an image already, unseen until this window attaches
            stand_in = ("attach", "lock", "copy", "unlock", "detach")
            calls += [Call(name, stand_in=True, unless_image=True) for name in stand_in]
    return Plan(calls, [Call("read")])


def _read_unlocked_judge(results: Results) -> str:
    (read,) = results.outcomes
    if not read.ok:
        return unexpected(read, results.provider)
    return translate(
        "Mistakes",
        "The read worked ({}), but without lock() nothing stopped a writer meanwhile: the image can be "
        "torn, half old and half new. Next: lock() before reading, unlock() after.",
    ).format(read.detail)


# --- Detach while the other side still reads ---------------------------------------------------------


def _detach_while_read_plan(scene: Scene) -> Plan:
    calls = [*_keyed(scene), *_unlocked(scene), *_holding_a_segment(scene)]
    others = scene.facts.processes - (1 if scene.facts.attached else 0)
    if others < 1:  # nobody else: the stand-in plays the other program
        calls.append(Call("attach", stand_in=True))
    return Plan(calls, [Call("detach")])


def _detach_while_read_judge(results: Results) -> str:
    (detach,) = results.outcomes
    before, after = results.before, results.after
    if detach.ok and after.size and after.processes == before.processes - 1:
        left = translate(
            "Mistakes",
            "detach() worked: this window left, and the segment stays while others are attached (the kernel's "
            "count went from {} to {}). Only the last detach removes it.",
        ).format(before.processes, after.processes)
        if results.provider and results.stand_in:
            then = translate(
                "Mistakes",
                "Next: the stand-in holds it now, and lets go when you choose another mistake or end the step-through.",
            )
        elif results.provider:
            then = translate(
                "Mistakes", "Next: the consumer holds it now; create() here fails with AlreadyExists until it detaches."
            )
        else:
            then = translate("Mistakes", "Next: attach() to come back.")
        return sentences(left, then)
    if detach.ok and not after.size:
        return translate(
            "Mistakes",
            "Unexpected: detach() worked and the segment is gone: nobody else was attached, so this was the "
            "last detach. Start again: setKey(), then create().",
        )
    return unexpected(detach, results.provider)


def mistakes() -> list[Mistake]:
    return [
        Mistake(translate("Mistakes", "Forget to unlock"), _forget_unlock_plan, _forget_unlock_judge),
        Mistake(translate("Mistakes", "Create twice"), _create_twice_plan, _create_twice_judge),
        Mistake(translate("Mistakes", "Attach before anything is created"), _attach_first_plan, _attach_first_judge),
        Mistake(translate("Mistakes", "Read without the lock"), _read_unlocked_plan, _read_unlocked_judge),
        Mistake(
            translate("Mistakes", "Detach while the other side still reads"),
            _detach_while_read_plan,
            _detach_while_read_judge,
        ),
    ]
