"""One Try a Mistake under way: the scene's calls, then the mistake's own, and the words said at the end."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QCoreApplication

from ..hand_calls import Outcome, SegmentFacts
from .mistakes import Mistake, Results
from .step_notes import call_name, note, result_text

translate = QCoreApplication.translate


@dataclass
class MistakeRun:
    mistake: Mistake
    scene_calls: int  # how many of the calls set the scene
    before: SegmentFacts  # as the scene left the segment, once it is set
    released: bool  # a stand-in from an earlier mistake was let go first
    provider: bool  # in program A's window
    outcomes: list[Outcome]

    @property
    def setting_the_scene(self) -> bool:
        return len(self.outcomes) <= self.scene_calls

    def said(self, after: SegmentFacts, stand_in_attached: bool) -> str:
        """What the scene set up, then the mistake's sentence, chosen from what its calls gave."""
        results = Results(self.outcomes[self.scene_calls :], self.before, after, self.provider, stand_in_attached)
        return f"{self._scene_said()}\n{self.mistake.judge(results)}"

    def _scene_said(self) -> str:
        made = self.outcomes[: self.scene_calls]
        window = [call_name(outcome) for outcome in made if not outcome.stand_in]
        stand_in = [call_name(replace(outcome, stand_in=False)) for outcome in made if outcome.stand_in]
        parts = []
        if self.released:
            parts.append(translate("TeachDock", "the stand-in of the last mistake detached"))
        if window:
            parts.append(translate("TeachDock", "this window: {}").format(", ".join(window)))
        if stand_in:
            consumer, provider = translate("TeachDock", "the consumer"), translate("TeachDock", "the provider")
            other = consumer if self.provider else provider
            said = translate("TeachDock", "a stand-in for {} (a second QSharedMemory in this window, same key): {}")
            parts.append(said.format(other, ", ".join(stand_in)))
        if not parts:
            return translate("TeachDock", "Scene: already as the mistake needs it.")
        return translate("TeachDock", "Scene set up — {}.").format("; ".join(parts))

    def scene_failed(self, outcome: Outcome) -> str:
        """The scene's call ``outcome`` failed: the mistake is not made, and this says why."""
        sentence = translate("TeachDock", "The scene could not be set: {} returned false ({}).").format(
            call_name(outcome), result_text(outcome).partition(" — ")[2]
        )
        more = note(outcome, self.provider)
        return f"{sentence} {more}".strip()
