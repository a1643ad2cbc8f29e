"""One Try a Mistake under way: the scene's calls, then the mistake's own, and the words said at the end."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QCoreApplication

from shareimg.teach.hand_calls import HandCalls, Outcome, SegmentFacts
from shareimg.ui.labels import sentences
from shareimg.ui.mistakes import Call, Mistake, Results, Scene
from shareimg.ui.step_notes import call_name, clauses, failed, listed

translate = QCoreApplication.translate


def letting_go(calls: HandCalls) -> list[Call]:
    """What lets the stand-in go: its unlock, this window's (Qt's detach() takes the lock), its detach."""
    if not calls.stand_in_attached:
        return [Call("unlock", stand_in=True)] if calls.stand_in_holding else []
    return [
        *([Call("unlock", stand_in=True)] if calls.stand_in_holding else []),
        *([Call("unlock")] if calls.holding else []),
        Call("detach", stand_in=True),
    ]


@dataclass
class MistakeRun:
    mistake: Mistake
    scene_calls: int  # how many of the calls set the scene
    before: SegmentFacts  # as the scene left the segment, once it is set
    provider: bool  # in program A's window
    outcomes: list[Outcome]
    letting_go: int = 0  # the first calls: the stand-in of an earlier mistake let go
    planned: bool = False  # the scene's own calls are known (once the earlier stand-in is gone)
    failure: Outcome | None = None  # the scene's call that failed: the mistake is not made
    cannot: str = ""  # why the scene cannot be set: the mistake is not made

    @property
    def setting_the_scene(self) -> bool:
        return len(self.outcomes) <= self.scene_calls

    def plan(self, calls: HandCalls) -> list[Call]:
        """Once the last stand-in is gone, the calls of the scene the mistake needs, from the window as it is now."""
        calls.drop_stand_in()
        facts = calls.facts()
        plan = self.mistake.plan(Scene(self.provider, calls.keyed, calls.holding, facts))
        self.planned, self.before, self.cannot = True, facts, plan.cannot
        self.scene_calls += len(plan.scene)
        return [*plan.scene, *plan.calls]

    def said(self, after: SegmentFacts, stand_in_attached: bool) -> str:
        """What the scene set up, then the mistake's sentence, chosen from what its calls gave."""
        if self.cannot:
            let_go = self._let_go(self.outcomes[: self.letting_go])
            if not let_go:
                return self.cannot
            return f"{translate('TeachDock', 'Scene set up — {}.').format(clauses(let_go))}\n{self.cannot}"
        results = Results(self.outcomes[self.scene_calls :], self.before, after, self.provider, stand_in_attached)
        return f"{self._scene_said()}\n{self.mistake.judge(results)}"

    def _scene_said(self) -> str:
        parts = self._let_go(self.outcomes[: self.letting_go])
        made = self.outcomes[self.letting_go : self.scene_calls]
        window = [call_name(outcome) for outcome in made if not outcome.stand_in]
        stand_in = [call_name(replace(outcome, stand_in=False)) for outcome in made if outcome.stand_in]
        if window:
            parts.append(translate("TeachDock", "this window: {}").format(listed(window)))
        if stand_in:
            consumer, provider = translate("TeachDock", "the consumer"), translate("TeachDock", "the provider")
            other = consumer if self.provider else provider
            said = translate("TeachDock", "a stand-in for {} (a second QSharedMemory in this window, same key): {}")
            parts.append(said.format(other, listed(stand_in)))
        for outcome in made:
            if outcome.stand_in and outcome.call == "copy" and outcome.ok:
                parts.append(
                    translate(
                        "TeachDock",
                        "the stand-in wrote an image into the segment ({}, generation {}); the provider's next "
                        "copy writes over it",
                    ).format(outcome.detail, outcome.generation)
                )
        if not parts:
            return translate("TeachDock", "Nothing to set up: this window is already as the mistake needs.")
        return translate("TeachDock", "Scene set up — {}.").format(clauses(parts))

    @staticmethod
    def _let_go(made: list[Outcome]) -> list[str]:
        """What letting a stand-in go took: this window's unlock, said, for Qt's detach() takes the lock."""
        parts = []
        if any(not outcome.stand_in and outcome.call == "unlock" and outcome.ok for outcome in made):
            parts.append(
                translate(
                    "TeachDock", "this window held the lock: unlock() first, for the stand-in's detach() takes it"
                )
            )
        if any(outcome.stand_in and outcome.call == "detach" and outcome.ok for outcome in made):
            parts.append(translate("TeachDock", "the stand-in of the last mistake detached"))
        return parts

    def scene_failed(self, outcome: Outcome) -> str:
        """The scene's call ``outcome`` failed: the mistake is not made, and this says why."""
        sentence = failed(
            translate("TeachDock", "The scene could not be set: {} returned false ({})."), outcome, self.provider
        )
        after = self.outcomes[self.outcomes.index(outcome) + 1 :]
        if not any(each.stand_in for each in after):
            return sentence
        gave_back = translate("TeachDock", "The stand-in gave back what it took: {}.").format(
            listed(call_name(replace(each, stand_in=False)) for each in after)
        )
        return sentences(sentence, gave_back)
