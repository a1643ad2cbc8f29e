"""Change Key: the rule stated, the key checked as it is typed, OK only for a valid key.

The key opens selected, so that typing replaces it; what is wrong with a key
(empty, too long, which character) is said under the field.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from shareimg.errors import InvalidKey
from shareimg.transport.keys import validate_key
from shareimg.ui.labels import MessageLabel, sentences
from shareimg.ui.translations import key_rule, translated_message

translate = QCoreApplication.translate


class KeyDialog(QDialog):
    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("KeyDialog", "Shared-memory key"))
        rule = key_rule()
        self.rule = MessageLabel(
            sentences(
                translate("KeyDialog", "The key names the shared segment; provider and consumer use the same one."),
                # not capitalize(): it would lower "ASCII"
                translate("KeyDialog", "{}.").format(rule[:1].upper() + rule[1:]),
            )
        )
        self.edit = QLineEdit(key)
        self.edit.selectAll()
        self.problem = MessageLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.rule)
        column.addWidget(QLabel(translate("KeyDialog", "Key:")))
        column.addWidget(self.edit)
        column.addWidget(self.problem)
        column.addWidget(self.buttons)
        self.edit.textChanged.connect(self._check)
        self._check(key)
        self.resize(420, self.sizeHint().height())

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def key(self) -> str:
        return self.edit.text()

    def _check(self, text: str) -> None:
        try:
            validate_key(text)
        except InvalidKey as error:
            self.problem.setText(translated_message(error))
            self.ok_button.setEnabled(False)
            return
        self.problem.setText("")
        self.ok_button.setEnabled(True)
