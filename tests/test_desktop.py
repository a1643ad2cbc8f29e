"""Desktop behaviour: drop, paste, save, copy, zoom, details, keys, recent files, steps panel, stop sharing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from dialogs import answer_file_dialog
from images import photo_like, same_pixels
from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, QPointF, QSettings, Qt, QTranslator, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication, QImage, QWheelEvent

from shareimg import Publisher, read_shared, segment_status
from shareimg.provider.window import ProviderWindow
from shareimg.qt import steplog
from shareimg.ui.labels import ElidedLabel


def _drop(window, mime: QMimeData) -> None:
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)


def test_drop_a_file_and_an_image_from_another_app(qtbot, provider, key, tmp_path):
    path = tmp_path / "dropped.png"
    photo_like(50, 40, seed=1).save(str(path))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with qtbot.waitSignal(provider.published, timeout=10_000):
        _drop(provider, mime)
    assert same_pixels(read_shared(key).image, QImage(str(path)))

    image = photo_like(30, 20, seed=2)
    mime = QMimeData()
    mime.setImageData(image)
    with qtbot.waitSignal(provider.published, timeout=10_000):
        _drop(provider, mime)
    assert same_pixels(read_shared(key).image, image)


def test_paste_shares_the_clipboard_image(qtbot, provider, key):
    image = photo_like(40, 30, seed=3)
    QGuiApplication.clipboard().setImage(image)
    with qtbot.waitSignal(provider.published, timeout=10_000):
        qtbot.keyClick(provider, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert same_pixels(read_shared(key).image, image)


def test_recent_files_are_remembered_and_reopen(qtbot, provider, key, tmp_path, settings):
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    photo_like(20, 20, seed=1).save(str(first))
    photo_like(20, 20, seed=2).save(str(second))
    for path in (first, second):
        with qtbot.waitSignal(provider.published, timeout=10_000):
            provider.share_file(path)
    assert provider.recent.paths() == [str(second), str(first)]
    assert QSettings(settings.fileName(), QSettings.Format.IniFormat).value("recent") == [str(second), str(first)]
    actions = provider.recent_menu.actions()
    assert [a.text() for a in actions] == [str(second), str(first)]
    with qtbot.waitSignal(provider.published, timeout=10_000):
        actions[1].trigger()
    assert same_pixels(read_shared(key).image, QImage(str(first)))


def test_stop_sharing_removes_the_segment_and_the_consumer_says_so(qtbot, provider, consumer, key):
    image = photo_like(20, 20)
    with qtbot.waitSignal(provider.published, timeout=10_000):
        provider.share_image(image, "test")
    consumer.watch_box.setChecked(True)
    qtbot.waitUntil(lambda: consumer.image_view.has_image, timeout=10_000)
    with qtbot.waitSignal(provider.stopped, timeout=10_000):
        provider.stop_action.trigger()
    assert segment_status(key) is None
    qtbot.waitUntil(lambda: "stopped sharing" in consumer.message.text(), timeout=10_000)
    assert consumer.image_view.has_image  # the last image stays


def test_save_as_writes_the_same_pixels(qtbot, consumer, key, tmp_path):
    image = photo_like(60, 40)
    out = tmp_path / "saved.png"
    with Publisher(key) as publisher:
        publisher.publish(image)
        with qtbot.waitSignal(consumer.displayed, timeout=10_000):
            consumer.display_button.click()
    qtbot.keyClick(consumer, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    answer_file_dialog(qtbot, consumer, out)
    assert same_pixels(QImage(str(out)), image)
    consumer.copy_action.trigger()
    assert same_pixels(QGuiApplication.clipboard().image(), image)


def test_zoom_levels_and_details(qtbot, consumer, key):
    image = photo_like(1600, 1200)
    with Publisher(key) as publisher:
        publisher.publish(image)
        with qtbot.waitSignal(consumer.displayed, timeout=10_000):
            consumer.display_button.click()
    view = consumer.image_view
    assert view.fitting and view.zoom() < 1  # fitted into a smaller window
    consumer.actual_size()
    assert view.zoom() == pytest.approx(1.0) and not view.fitting
    assert view.horizontalScrollBar().maximum() > 0  # larger than the window: it scrolls
    qtbot.keyClick(consumer, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(1.25)
    view.zoom_out()
    assert view.zoom() == pytest.approx(1.0)
    wheel = QWheelEvent(
        QPointF(50, 50), QPointF(50, 50), QPoint(), QPoint(0, 120), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    view.wheelEvent(wheel)
    assert view.zoom() == pytest.approx(1.25)
    assert "125 %" in consumer.zoom_label.text()
    consumer.image_view.fit_to_window()
    assert view.fitting

    details = {name: label.text() for name, label in consumer.details.fields.items()}
    assert details["size"] == "1600 × 1200"
    assert details["codec"] == "qt" and details["generation"] == "1"
    assert details["format"] == "ARGB32" and details["bytes"] == f"{1600 * 1200 * 4:,}"
    assert "gone" not in details["provider"] and "pid" in details["provider"]
    assert details["age"].endswith(" s")


def test_key_change_reads_from_the_new_key_and_is_remembered(qtbot, consumer, key, settings):
    other = key + "-other"
    image = photo_like(24, 24, seed=7)
    assert not consumer.change_key("bad key!")
    assert "invalid key" in consumer.message.text()
    try:
        with Publisher(other) as publisher:
            publisher.publish(image)
            assert consumer.change_key(other)
            assert other in consumer.windowTitle()
            with qtbot.waitSignal(consumer.displayed, timeout=10_000) as displayed:
                consumer.display_button.click()
        assert same_pixels(displayed.args[0].image, image)
        assert settings.value("key") == other
    finally:
        assert segment_status(other) is None


def test_provider_key_change_moves_the_image(qtbot, provider, key):
    other = key + "-moved"
    image = photo_like(24, 24, seed=8)
    with qtbot.waitSignal(provider.published, timeout=10_000):
        provider.share_image(image, "test")
    with qtbot.waitSignal(provider.published, timeout=10_000):
        assert provider.change_key(other)
    assert segment_status(key) is None
    assert same_pixels(read_shared(other).image, image)
    provider.close()
    assert segment_status(other) is None


def _text(model, row: int, column: int) -> str:
    return model.index(row, column).data()


STEP, DETAIL, RESULT, REPEATS = steplog.STEP, steplog.DETAIL, steplog.RESULT, steplog.REPEATS


def test_steps_panel_lists_the_articles_steps(qtbot, provider):
    with qtbot.waitSignal(provider.published, timeout=10_000):
        provider.share_image(photo_like(10, 10), "test")
    model = provider.steps_model
    rows = [(_text(model, r, STEP), _text(model, r, RESULT)) for r in range(model.rowCount())]
    assert [name for name, _ in rows] == ["setKey", "create", "lock", "copy", "unlock"]
    assert all(result == "ok" for _, result in rows)
    assert _text(model, 3, DETAIL).endswith(" B")  # the bytes copied


def test_consumer_steps_list_a_display_as_it_happens(qtbot, consumer, key):
    with Publisher(key) as publisher:
        publisher.publish(photo_like(10, 10))
        with qtbot.waitSignal(consumer.displayed, timeout=10_000):
            consumer.display_button.click()
    model = consumer.steps_model
    assert [_text(model, r, STEP) for r in range(model.rowCount())] == ["attach", "lock", "read", "unlock", "detach"]
    assert all(_text(model, r, RESULT) == "ok" and _text(model, r, REPEATS) == "" for r in range(model.rowCount()))


def test_steps_panel_shows_qts_error_for_a_failed_create(qtbot, key, settings, monkeypatch):
    monkeypatch.setenv("TMPDIR", "/nonexistent/shareimg")  # Qt cannot make the key files there
    window = ProviderWindow(key, settings=settings)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.failed, timeout=10_000):
        window.share_image(photo_like(10, 10), "test")
    model = window.steps_model
    rows = {_text(model, r, STEP): _text(model, r, RESULT) for r in range(model.rowCount())}
    assert "unable to make key" in rows["create"]  # Qt's own words, in the step's row
    assert "TMPDIR '/nonexistent/shareimg' does not exist" in window.message.text()  # ours, naming the folder
    window.close()


def test_geometry_is_remembered(qtbot, key, settings):
    first = ProviderWindow(key, settings=settings)
    qtbot.addWidget(first)
    first.setGeometry(30, 40, 700, 500)
    first.close()
    second = ProviderWindow(key, settings=settings)
    qtbot.addWidget(second)
    assert second.size().width() == 700 and second.size().height() == 500
    second.close()


def test_a_window_placed_off_its_screen_or_larger_than_it_is_brought_whole_onto_it(qtbot, consumer):
    """As ``--geometry`` made for a larger screen, or the demo's on a laptop's, would place it."""
    from shareimg.ui.window_state import fit_on_screen

    free = consumer.screen().availableGeometry()
    least = consumer.minimumSizeHint()
    for x, y, width, height in [
        (free.right() - 100, free.bottom() - 50, least.width(), least.height()),  # mostly off, to the bottom right
        (-400, -300, least.width(), least.height()),  # off to the top left
        (free.x(), free.y(), free.width() + 900, free.height() + 500),  # larger than the screen
    ]:
        consumer.setGeometry(x, y, width, height)
        fit_on_screen(consumer)
        placed = consumer.geometry()
        if least.width() <= free.width() and least.height() <= free.height():
            assert free.contains(placed), (placed, free)
        assert placed.width() >= least.width() and placed.height() >= least.height()
        assert placed.x() >= free.x() and placed.y() >= free.y()


def test_a_status_line_too_long_leaves_out_the_least_useful_fields_never_size_or_codec(qtbot, provider, key):
    """'800×600 · … · 1,923,771 bytes shared' hid the codec; the bytes go first now, the size and codec never."""
    provider.share_image(photo_like(800, 600), "photo")
    qtbot.waitUntil(lambda: "generation 1" in provider.status_line.text(), timeout=10000)
    line = provider.status_line
    whole = line.text().split(" · ")
    provider.show()
    seen = []
    for width in range(line.fontMetrics().horizontalAdvance(line.text()) + 10, 20, -9):
        line.setFixedWidth(width)
        shown = line.shown_text()
        assert line.fontMetrics().horizontalAdvance(shown) <= line.contentsRect().width()
        if shown not in seen:
            seen.append(shown)
    fields = [shown.split(" · ") for shown in seen]
    assert fields[0] == whole
    assert fields[1] == [f"key '{key}'", "800×600", "qt codec", "generation 1"], seen  # the bytes went first
    assert fields[2] == ["800×600", "qt codec", "generation 1"], seen  # then the key, which the title says
    assert fields[3] == ["800×600", "qt codec"], seen
    assert all("…" in shown for shown in seen[4:]), seen  # what is left is cut only when nothing else can go


class _Rewording(QTranslator):
    """A translation that words the status lines its own way: ``reword(source)`` for each string asked."""

    def __init__(self, reword: Callable[[str], str]) -> None:
        super().__init__()
        self.reword = reword

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return self.reword(source)

    def isEmpty(self) -> bool:
        return False


# Translations a translator may well write: a separator more, one fewer, the fields in another order.
_REWORDINGS = {
    "one-more-separator": lambda source: source.replace("bytes shared", "bytes · shared").replace(
        "latency", "· latency"
    ),
    "no-separators": lambda source: source.replace(" · ", ", "),
    "another-order": lambda source: {
        "key '{}' · {}×{} · {} codec · {:,} bytes shared · generation {}": (
            "{1}×{2} · key '{0}' · generation {5} · {4:,} bytes shared · {3} codec"
        ),
        "{:.0f} fps · {} dropped · latency {}": "latency {2} · {0:.0f} fps · {1} dropped",
    }.get(source, source),
}


def _narrowed(line: ElidedLabel) -> list[tuple[int, str]]:
    """The room ``line`` has, and what it shows, at each width from its whole text down to a few
    characters."""
    shown = []
    for width in range(line.fontMetrics().horizontalAdvance(line.text()) + 10, 20, -7):
        line.setFixedWidth(width)
        shown.append((line.contentsRect().width(), line.shown_text()))  # what paintEvent draws
        line.repaint()
    return shown


@pytest.mark.parametrize("reword", _REWORDINGS.values(), ids=_REWORDINGS.keys())
def test_status_lines_keep_size_and_codec_however_a_translation_words_them(qtbot, provider, consumer, reword):
    """The fields were cut out of one translated line at fixed places: a separator more raised IndexError in every
    paintEvent, one fewer or another order dropped the size or the codec first."""
    translator = _Rewording(reword)
    QCoreApplication.installTranslator(translator)
    try:
        provider.share_image(photo_like(800, 600), "photo")
        qtbot.waitUntil(lambda: "generation 1" in provider.status_line.text(), timeout=10000)
        consumer.watch_box.setChecked(True)
        qtbot.waitUntil(lambda: "fps" in consumer.status_line.text(), timeout=10000)
        consumer.watch_box.setChecked(False)
        for line in (provider.status_line, consumer.status_line):
            shown = _narrowed(line)
            least = line.fontMetrics().horizontalAdvance("800×600 · qt codec")
            assert all("800×600" in text and "qt codec" in text for room, text in shown if room >= least), shown
            assert "800×600 · qt codec" in [text for _, text in shown], shown  # the size and the codec go last
    finally:
        QCoreApplication.removeTranslator(translator)
