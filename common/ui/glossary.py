"""The article's terms, translated once: every translation uses the same word for each.

The .ts file carries these as its "Glossary" context, each with the words it
turned down as a comment for translators (``never: …``); tests/test_glossary.py
holds every other translation to them.  Nothing here is shown by itself.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def glossary() -> dict[str, str]:
    """Each term, in English, and its one word in the window's language."""
    return {
        #: never: 提供方, 供应者, 提供端
        "provider": translate("Glossary", "provider"),
        #: never: 消费方, 使用者, 消费端
        "consumer": translate("Glossary", "consumer"),
        #: never: 内存块, 共享段
        "segment": translate("Glossary", "segment"),
        #: never: 密钥, 键值
        "key": translate("Glossary", "key"),
        #: never: 附加, 挂接, 附着
        "attach": translate("Glossary", "attach"),
        #: never: 离开, 分离, 脱离
        "detach": translate("Glossary", "detach"),
        #: never: 锁定, 上锁
        "lock": translate("Glossary", "lock"),
        #: never: 开锁, 释放锁
        "unlock": translate("Glossary", "unlock"),
    }
