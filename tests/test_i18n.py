"""English and Simplified Chinese: every visible string translated, and the windows speak Chinese."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from processes import ROOT
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from shareimg import ImageLoadError, KeyOfAnotherUser
from shareimg.consumer.window import ConsumerWindow
from shareimg.errors import ImageTooLarge, UnknownContents
from shareimg.provider.window import ProviderWindow
from shareimg.qt.steplog import STEP
from shareimg.ui.translations import TRANSLATIONS

TS = TRANSLATIONS / "shareimg_zh_CN.ts"
QM = TS.with_suffix(".qm")
TOOLS = Path(sys.executable).parent
# Every file that says something through Qt's translate() or tr().
SOURCES = sorted(
    str(path.relative_to(ROOT))
    for path in [*ROOT.glob("app_*/*.py"), *ROOT.glob("common/**/*.py")]
    if re.search(r"\btranslate\(|\btr\(", path.read_text(encoding="utf-8"))
)


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {
        (context.findtext("name"), message.findtext("source")): message.find("translation")
        for context in root.iter("context")
        for message in context.iter("message")
    }


def test_every_visible_string_has_a_chinese_translation(tmp_path):
    """lupdate the sources afresh: a tr() string missing from, or unfinished in, the .ts fails."""
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [TOOLS / "pyside6-lupdate", *SOURCES, "-ts", fresh, "-no-obsolete", "-locations", "none"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wanted = set(_messages(fresh))
    assert len(wanted) > 90
    shipped = _messages(TS)
    missing = sorted(source for source in wanted if source not in shipped)
    assert not missing, f"not in {TS.name} (run make ts, then translate): {missing}"
    unfinished = sorted(
        source for source in wanted if shipped[source].get("type") == "unfinished" or not shipped[source].text
    )
    assert not unfinished, f"untranslated in {TS.name}: {unfinished}"


def test_make_ts_reads_every_file_that_translates():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    listed = re.search(r"^TR_SOURCES := (.*)$", makefile, re.M)[1].split()
    assert sorted(listed) == SOURCES


def test_translations_keep_placeholders_and_accelerators():
    for (context, source), translation in _messages(TS).items():
        assert re.findall(r"\{[^}]*\}", source) == re.findall(r"\{[^}]*\}", translation.text), (context, source)
        assert ("&" in source) == ("&" in translation.text), (context, source)


def test_the_shipped_qm_is_the_ts_compiled(tmp_path):
    """The wheel ships the committed .qm: it must be what lrelease makes of the .ts (make ts)."""
    fresh = tmp_path / "fresh.qm"
    subprocess.run([TOOLS / "pyside6-lrelease", "-silent", TS, "-qm", fresh], check=True)
    assert fresh.read_bytes() == QM.read_bytes(), f"{QM.name} is stale: run make ts"


def test_the_windows_speak_chinese(qtbot, key, chinese):
    provider = ProviderWindow(key)
    consumer = ConsumerWindow(key)
    for window in (provider, consumer):
        qtbot.addWidget(window)
    assert provider.load_button.text() == "从文件加载图像…"
    assert provider.windowTitle() == f"shareimg 提供者 — 键 '{key}'"
    assert consumer.display_button.text() == "从共享内存显示图像"
    assert consumer.steps_model.headerData(STEP, Qt.Orientation.Horizontal) == "步骤"
    menus = [action.text() for action in consumer.menuBar().actions() if action.isVisible()]
    assert menus == ["文件(&F)", "编辑(&E)", "视图(&V)", "来源(&S)", "帮助(&H)"]
    assert consumer.sources_dock.windowTitle() == "来源"
    provider.close()
    consumer.close()


def test_another_users_key_is_refused_in_chinese(qtbot, key, chinese):
    """The library's sentence, in the window's language (tests/test_another_user.py meets it for real)."""
    consumer = ConsumerWindow(key)
    qtbot.addWidget(consumer)
    consumer._show_failure(KeyOfAnotherUser(key, 0))
    assert consumer.message.text() == f"错误：键 '{key}' 被用户 root（uid 0）占用：请选择其他键，或请对方停止。"
    consumer._show_failure(KeyOfAnotherUser(key, 4242, "/tmp/link"))  # a uid with no name, through a link
    assert consumer.message.text() == (
        f"错误：键 '{key}' 被另一个用户（uid 4242）占用（通过其链接 '/tmp/link'）：请选择其他键，或请对方停止。"
    )
    consumer.close()


def test_an_image_too_large_and_a_segment_of_unknown_bytes_are_refused_in_chinese(qtbot, key, chinese):
    """Issue 24, 6: the sizes, the bytes found and what to do, in the window's language."""
    consumer = ConsumerWindow(key)
    qtbot.addWidget(consumer)
    consumer._show_failure(UnknownContents(key, 1_000_000_000, bytes(8)))
    assert consumer.message.text() == (
        f"错误：键 '{key}' 下的共享内存段有 1,000 MB，既不是 shareimg 的数据，也不是 Qt 图像流："
        "开头是 00 00 00 00 00 00 00 00 …。"
    )
    consumer._show_failure(ImageTooLarge(16000, 16000, 16000 * 16000 * 4, ImageTooLarge.MEMORY, 512, key))
    assert consumer.message.text() == (
        f"错误：键 '{key}' 下的数据不是图像：16000×16000 像素需要 977 MiB，超过了本机空闲的 512 MiB："
        "请关闭其他程序，或共享一张更小的图像。"
    )
    consumer.close()
    provider = ProviderWindow(key)
    qtbot.addWidget(provider)
    too_large = ImageTooLarge(20000, 100, 8_000_000, ImageTooLarge.SIDE, 16384)
    provider._failed(ImageLoadError("big.png", ImageLoadError.TOO_LARGE, str(too_large), cause=too_large))
    assert provider.message.text().startswith(
        "错误：无法加载 'big.png'：20000×100 像素超过了每边 16384 像素的上限：请共享一张更小的图像"
    ), provider.message.text()
    provider.close()


def test_a_refused_key_and_a_failed_save_say_why_in_chinese(qtbot, key, chinese, tmp_path):
    """Issue 22, 2 and 4: the reason in Chinese, the key and the path as given."""
    consumer = ConsumerWindow(key)
    qtbot.addWidget(consumer)
    dialog = consumer.ask_for_key()
    for typed, said in [
        ("", "键为空：请输入一个键"),
        ("k" * 200, f"无效的键 '{'k' * 39}…'：太长：200 个字符，最多 100 个"),
        ("a/b", "无效的键 'a/b'：不允许使用 '/'：只能使用 ASCII 字母、数字、'.'、'_' 和 '-'"),
        ("my key", "无效的键 'my key'：不允许使用 空格：只能使用 ASCII 字母、数字、'.'、'_' 和 '-'"),
        ("_x", "无效的键 '_x'：以 '_' 开头：请以 ASCII 字母或数字开头"),
    ]:
        dialog.edit.setText(typed)
        assert dialog.problem.text() == said
    assert "ASCII 字母" in dialog.rule.text()
    dialog.reject()
    missing = tmp_path / "missing" / "shared.png"
    consumer._save(QImage(4, 4, QImage.Format.Format_RGB32), str(missing))
    assert consumer.message.text() == f"错误：无法将图像保存到 '{missing}'：文件夹 '{missing.parent}' 不存在。"
    consumer.close()


def test_lang_option_is_checked(key):
    from processes import run

    result = run("shareimg.consumer", "--lang", "fr", "--key", key)
    assert result.returncode == 2 and "invalid choice: 'fr'" in result.stderr


def test_the_steps_panel_names_our_own_steps_in_chinese(qtbot, key, chinese):
    """copy and read are the project's words (Qt's calls keep Qt's names): the panel says 写入 and 读取."""
    from shareimg.qt.steplog import STEP, StepLogModel
    from shareimg.transport.steps import Step

    model = StepLogModel()
    model.set_shown(True)
    for name in ("attach", "copy", "read"):
        model.observe(Step(name, "", 0, 0.1))
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=2000)
    assert [model.data(model.index(row, STEP)) for row in range(3)] == ["attach", "写入", "读取"]


def test_chinese_sentences_are_joined_the_chinese_way(qtbot, chinese):
    """No space after 。 and no ASCII full stop; lists with 、 (the key dialog's rule had "。 " and a final ".")."""
    from shareimg.ui.key_dialog import KeyDialog
    from shareimg.ui.labels import sentences
    from shareimg.ui.step_notes import clauses, listed

    dialog = KeyDialog("shareimg")
    qtbot.addWidget(dialog)
    rule = dialog.rule.text()
    assert "。 " not in rule and rule.endswith("。") and "." not in rule.replace("'.'", ""), rule
    assert (listed(["setKey()", "attach()"]), clauses(["甲", "乙"])) == ("setKey()、attach()", "甲；乙")
    assert sentences("一。", "", "二。") == "一。二。" and sentences("One.", "Two.") == "One. Two."
