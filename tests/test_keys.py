"""A refused key is told exactly what is wrong, in the Change Key dialog and on the command line (issue 22, 4)."""

from __future__ import annotations

import pytest
from processes import run
from PySide6.QtCore import Qt

from shareimg import InvalidKey, validate_key

LONG = "k" * 200
# The key as typed, and what is wrong with it, as the dialog and the command line both say it.
REFUSED = [
    ("", "the key is empty: enter a key"),
    (LONG, f"invalid key '{'k' * 39}…': too long: 200 characters, at most 100"),
    ("a/b", "invalid key 'a/b': '/' is not allowed: only ASCII letters, digits, '.', '_' and '-'"),
    ("my key", "invalid key 'my key': a space is not allowed: only ASCII letters, digits, '.', '_' and '-'"),
    ("共享", "invalid key '共享': '共' is not allowed: only ASCII letters, digits, '.', '_' and '-'"),
    ("-frames", "invalid key '-frames': it starts with '-': start with an ASCII letter or digit"),
]


@pytest.mark.parametrize(("typed", "said"), REFUSED)
def test_the_library_names_the_problem(typed, said):
    with pytest.raises(InvalidKey) as refused:
        validate_key(typed)
    assert str(refused.value) == said


def test_the_dialog_says_what_is_wrong_and_opens_with_the_key_selected(qtbot, consumer, key):
    dialog = consumer.ask_for_key()
    for typed, said in REFUSED:
        dialog.edit.setText(typed)
        assert dialog.problem.text() == said and not dialog.ok_button.isEnabled(), typed
    dialog.reject()
    dialog = consumer.ask_for_key()
    assert dialog.edit.selectedText() == key
    qtbot.keyClicks(dialog.edit, "fresh")  # replaces the key, not appended to it
    assert dialog.key() == "fresh" and dialog.ok_button.isEnabled() and dialog.problem.text() == ""
    qtbot.keyClick(dialog.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Delete)
    assert dialog.problem.text() == "the key is empty: enter a key"
    dialog.reject()


@pytest.mark.parametrize("program", ["shareimg.consumer", "shareimg.provider"])
def test_the_command_line_says_the_same_and_exits_2(program):
    command = program.replace(".", "-")
    for typed, said in REFUSED:
        result = run(program, f"--key={typed}")  # '=': a key starting with '-' is not taken for an option
        assert result.returncode == 2, (typed, result.stderr)
        assert result.stderr == f"{command}: argument --key: {said} (see {command} --help)\n"
