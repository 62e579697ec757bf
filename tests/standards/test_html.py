"""Every page is valid HTML, as the W3C Nu HTML Checker reads it."""

import json
import subprocess

from tests.standards.conftest import java, node_module


def test_every_page_passes_the_nu_html_checker(pages, tmp_path):
    for name, answer in pages.items():
        expected = 404 if name == "not-found" else 200
        assert answer.status == expected, f"{name} answered {answer.status}"
        (tmp_path / f"{name}.html").write_bytes(answer.body)
    result = subprocess.run(
        [
            java(),
            "-jar",
            str(node_module("vnu-jar/build/dist/vnu.jar")),
            "--format",
            "json",
            "--exit-zero-always",
            *sorted(str(path) for path in tmp_path.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=240,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert errors == [], "\n".join(errors)
