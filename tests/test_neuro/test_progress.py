"""Progress bars: drawn on a terminal, quiet in a log."""

import io

from neuro.app.progress import progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_a_bar_with_label_and_count():
    stream = Terminal()
    bar = progress("simulating 4 samples", 4, stream=stream)
    bar.update(3)
    bar.refresh()
    text = stream.getvalue()
    bar.close()
    assert "simulating 4 samples" in text and "3/4" in text


def test_a_log_stays_quiet_and_so_does_a_disabled_bar():
    log = io.StringIO()
    bar = progress("simulating", 4, stream=log)
    bar.update(4)
    bar.close()
    assert log.getvalue() == ""
    terminal = Terminal()
    bar = progress("simulating", 4, stream=terminal, enabled=False)
    bar.update(4)
    bar.close()
    assert terminal.getvalue() == ""
