"""The build side: verified Pyodide files, demo/quiz blocks, the package zip, the bridge."""

from __future__ import annotations

import hashlib
import json
import zipfile
import io
from pathlib import Path

import pytest

import demoblocks
from tools import pyodide_dist

from synthlearn.app import bridge as _bridge
from synthlearn.demos.fit_sample import run as fit_sample

ROOT = Path(__file__).resolve().parents[2]


# -- the runtime files ---------------------------------------------------------------
def _fake_lock(folder: Path, files: dict[str, bytes]) -> dict:
    packages = {}
    for i, (name, data) in enumerate(files.items()):
        (folder / name).write_bytes(data)
        packages[f"pkg{i}"] = {"file_name": name, "sha256": hashlib.sha256(data).hexdigest(), "depends": []}
    return {"info": {"version": pyodide_dist.VERSION}, "packages": packages}


def test_verify_accepts_files_matching_the_lock(tmp_path):
    lock = _fake_lock(tmp_path, {"a.whl": b"alpha", "b.zip": b"beta"})
    assert set(pyodide_dist.verify_dir(tmp_path, lock)) == {"a.whl", "b.zip"}


def test_tampered_file_is_refused(tmp_path):
    lock = _fake_lock(tmp_path, {"a.whl": b"alpha", "b.zip": b"beta"})
    (tmp_path / "b.zip").write_bytes(b"beta, but changed")
    with pytest.raises(pyodide_dist.VerificationError, match="b.zip does not match the official"):
        pyodide_dist.verify_dir(tmp_path, lock)


def test_missing_file_is_refused(tmp_path):
    lock = _fake_lock(tmp_path, {"a.whl": b"alpha"})
    (tmp_path / "a.whl").unlink()
    with pytest.raises(pyodide_dist.VerificationError, match="missing"):
        pyodide_dist.verify_dir(tmp_path, lock)


def test_closure_follows_dependencies():
    lock = {"packages": {"a": {"depends": ["b"]}, "b": {"depends": ["c"]}, "c": {"depends": []},
                         "d": {"depends": []}}}
    assert pyodide_dist.closure(lock, ("a",)) == ["a", "b", "c"]
    with pytest.raises(pyodide_dist.VerificationError):
        pyodide_dist.closure(lock, ("zzz",))


def test_real_cache_is_verified_and_trimmed():
    cache = pyodide_dist.DEFAULT_CACHE
    if not (cache / pyodide_dist.MANIFEST).is_file():
        pytest.skip("no local Pyodide copy yet (make pyodide)")
    assert pyodide_dist.check_cache(cache)
    lock = json.loads((cache / "pyodide-lock.json").read_text())
    assert lock["info"]["version"] == "0.27.7"
    assert {"numpy", "scipy", "matplotlib", "openblas"} <= set(lock["packages"])
    assert "pandas" not in lock["packages"]  # trimmed to the closure


def test_cache_check_notices_a_changed_core_file(tmp_path):
    cache = pyodide_dist.DEFAULT_CACHE
    if not (cache / pyodide_dist.MANIFEST).is_file():
        pytest.skip("no local Pyodide copy yet (make pyodide)")
    copy = tmp_path / "copy"
    import shutil
    shutil.copytree(cache, copy)
    (copy / "pyodide.js").write_text("// changed")
    with pytest.raises(pyodide_dist.VerificationError, match="pyodide.js"):
        pyodide_dist.check_cache(copy)


# -- demo and quiz blocks ------------------------------------------------------------
DEMO = """function: synthlearn.demos.fit_sample.run
title: Fit & sample
intro: Draw, fit, sample.
figure: true
controls:
  - {name: distribution, type: select, default: bimodal, options: {normal: Normal, bimodal: Bimodal}}
  - {name: n, label: Sample size, type: range, min: 100, max: 10000, step: 100, default: 1000}
  - {name: seed, type: number, min: 0, max: 100, default: 42}
"""


def test_demo_block_renders_labelled_controls_and_static_result():
    md = f"Intro text.\n\n```synthlab-demo\n{DEMO}```\n\nAfter."
    calls = []

    def run_demo(spec):
        calls.append(demoblocks.defaults(spec))
        return fit_sample(**demoblocks.defaults(spec), figure=False)

    html, found = demoblocks.replace_blocks(md, run_demo, where="page.md")
    assert calls == [{"distribution": "bimodal", "n": 1000, "seed": 42}]
    assert found[0]["function"] == "synthlearn.demos.fit_sample.run"
    assert html.startswith("Intro text.") and html.rstrip().endswith("After.")
    assert '<label for="demo-fit-sample-n">Sample size</label>' in html
    assert '<label for="demo-fit-sample-seed">Seed</label>' in html  # label defaults to the name
    expected = fit_sample(distribution="bimodal", n=1000, seed=42, figure=False)
    assert demoblocks.esc(expected["summary"]) in html
    assert 'data-state="static"' in html and 'role="status"' in html


def test_demo_block_inside_an_example_fence_is_left_alone():
    md = f"````markdown\n```synthlab-demo\n{DEMO}```\n````\n"
    html, found = demoblocks.replace_blocks(md, lambda spec: None)
    assert html == md and found == []


@pytest.mark.parametrize("change,message", [
    (("name: seed", "name: sed"), "not a parameter"),
    (("default: bimodal", "default: weird"), "not one of its options"),
    (("default: 42", "default: 420"), "outside"),
    (("type: range", "type: slider"), "type"),
    (("title: Fit & sample\n", ""), "'title' is required"),
    (("function: synthlearn.demos.fit_sample.run", "function: os.system"), "inside synthlearn"),
])
def test_bad_demo_blocks_fail_the_build_with_a_reason(change, message):
    body = DEMO.replace(*change)
    with pytest.raises(demoblocks.BlockError, match=message):
        demoblocks.replace_blocks(f"```synthlab-demo\n{body}```\n", lambda spec: None, where="x.md")


def test_quiz_block_renders_accessible_form_with_answer_for_no_js():
    md = """```synthlab-quiz
id: q1
question: Which is right?
options: [Wrong <b>one</b>, Right one]
answer: 1
explanation: Because.
lesson: definition.md
```"""
    html, found = demoblocks.replace_blocks(md, lambda s: None, link=lambda t: "../definition/")
    assert found[0]["answer"] == 1
    assert "<legend" in html and 'type="radio"' in html
    assert "Wrong &lt;b&gt;one&lt;/b&gt;" in html  # option text is escaped
    assert '<div class="sl-quiz__explanation" hidden>' in html
    assert "<noscript><details><summary>Show the answer</summary><p>Answer: Right one." in html
    assert 'href="../definition/"' in html


def test_quiz_answer_must_be_an_option_index():
    with pytest.raises(demoblocks.BlockError, match="answer"):
        demoblocks.parse_quiz("id: q\nquestion: Q?\noptions: [a, b]\nanswer: 2\nexplanation: E.")


# -- the package the browser installs ------------------------------------------------
def test_package_zip_is_reproducible_and_complete():
    import synthlab

    first, second = synthlab.package_zip(), synthlab.package_zip()
    assert first == second
    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert "synthlearn/__init__.py" in names and "synthlearn/app/bridge.py" in names
    assert not any("__pycache__" in n for n in names)


# -- the bridge the worker calls -------------------------------------------------------
def test_bridge_returns_value_input_error_and_bug_separately():
    ok = json.loads(_bridge.call("synthlearn.demos.fit_sample.run", json.dumps({"n": 200, "figure": False})))
    assert ok["ok"] and ok["value"] == json.loads(json.dumps(fit_sample(n=200, figure=False)))
    bad = json.loads(_bridge.call("synthlearn.demos.fit_sample.run", json.dumps({"n": 5})))
    assert bad == {"ok": False, "error": {"kind": "input", "message": "Choose n from 100 to 10,000; 5 is outside that range.",
                                          "column": None, "row": None}}
    unknown = json.loads(_bridge.call("synthlearn.demos.fit_sample.run", json.dumps({"bogus": 1})))
    assert unknown["error"]["kind"] == "input" and "bogus" in unknown["error"]["message"]
    outside = json.loads(_bridge.call("os.system", json.dumps({})))
    assert outside["error"]["kind"] == "input"
    bug = json.loads(_bridge.call("synthlearn.stats.ks_statistic", json.dumps({"a": [1], "b": "x"})))
    assert bug["error"]["kind"] == "bug" and "Traceback" in bug["error"]["traceback"]
