"""The documentation's Python examples run and print what they say they print."""

import contextlib
import doctest
import io
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[3]


def test_the_python_guide_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the guide writes its journal to the working directory
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        result = doctest.testfile(
            str(ROOT / "docs" / "python.md"), module_relative=False, optionflags=doctest.ELLIPSIS
        )
    assert result.failed == 0, output.getvalue()
    assert result.attempted >= 40


def test_the_readme_python_snippet_prints_what_its_comments_say(capsys):
    readme = (ROOT / "README.md").read_text()
    snippet = re.search(r"```python\n(.*?)```", readme, re.DOTALL).group(1)
    expected = [line.split("#", 1)[1].strip() for line in snippet.splitlines() if line.startswith("print(")]
    assert expected, "the README snippet shows no output"
    exec(compile(snippet, "README.md", "exec"), {})
    assert capsys.readouterr().out.splitlines() == expected
