"""The Generator page end to end, self-hosted runtime, one browser page (one Python start).

The tests share one warm page, but each sets its own preconditions (the table, the settings,
a result on screen: helpers and fixtures below), so they pass in any order: load Adult,
generate with two methods, download, compare, the reader's own files (good, malicious,
malformed, not CSV, too big, too few rows, one class, 10,000 distinct strings), where
messages appear, Cancel, hidden controls, keyboard-only use, saved settings, phone width —
and no console error and no request beyond the local server.
References: synthlearn.report.evaluate run natively on the same split and the synthetic
CSV the browser made; the command line run on the downloaded YAML config; pandas/json/yaml
parse the downloads.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import PYTHON_READY_TIMEOUT

from synthlearn import datasets
from synthlearn.app import cli
from synthlearn.csvio import read_csv
from synthlearn.pipeline import split_holdout
from synthlearn.report import evaluate

pytestmark = pytest.mark.e2e
PAGE = "generator/"
ROOT = "#synthlab-generator"
DATA = Path(__file__).resolve().parent / "data"
RUN_TIMEOUT = 300_000  # ms: an Adult evaluation takes about a minute in the browser on 2 cores


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------
def attr(page, name: str) -> str | None:
    return page.locator(ROOT).get_attribute(name)


def count(page, name: str) -> int:
    return int(attr(page, name) or 0)


def wait_settled(page, key: str, before: int, errors: int, timeout: float = RUN_TIMEOUT) -> None:
    """Wait until the counter ``data-<key>`` passed ``before`` or ``data-errors`` passed ``errors``
    (both read before the action that should move them)."""
    page.wait_for_function(
        """([sel, key, before, errors]) => { const d = document.querySelector(sel).dataset;
             return Number(d[key] || 0) > before || Number(d.errors || 0) > errors; }""",
        arg=[ROOT, key, before, errors], timeout=timeout)


def error_text(page) -> str:
    box = page.locator(ROOT + " .sl-gen__error")
    return box.inner_text() if box.is_visible() else ""


def generate(page, *, expect_error: bool = False) -> None:
    runs, errors = count(page, "data-runs"), count(page, "data-errors")
    page.locator(ROOT + " .sl-gen__generate").click()
    wait_settled(page, "runs", runs, errors)
    if expect_error:
        assert count(page, "data-errors") > errors and attr(page, "data-state") == "error"
    else:
        assert attr(page, "data-state") == "done", error_text(page)


def choose_file(page, path: Path | str, *, expect_error: bool = False) -> None:
    before, errors = count(page, "data-inspections"), count(page, "data-errors")
    page.locator("#gen-file").set_input_files(str(path))
    wait_settled(page, "inspections", before, errors, PYTHON_READY_TIMEOUT)
    if expect_error:
        assert count(page, "data-errors") > errors
    else:
        assert attr(page, "data-state") == "ready", error_text(page)


def set_label(page, value: str) -> None:
    page.locator("#gen-label").select_option(value)


def shown_rows(page) -> dict:
    """Report row key -> score as the page holds it (the all-checks table)."""
    return page.eval_on_selector_all(
        ROOT + " .sl-gen__allchecks tr[data-key]",
        "els => Object.fromEntries(els.map(e => [e.dataset.key, JSON.parse(e.dataset.score)]))")


def table_cells(page, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(selector + " tbody tr",
                                     "rows => rows.map(r => [...r.children].map(c => c.textContent))")


def save_download(page, what: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.locator(f'{ROOT} button[data-download="{what}"]').click()
    download = info.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def native_report(table, csv_path: Path, seed: int, share: float, label, qi):
    seq = np.random.SeedSequence(seed).spawn(4)
    train, hold = split_holdout(table, share, rng=np.random.default_rng(seq[0]))
    synthetic = read_csv(csv_path, kinds={c.name: c.kind for c in train.columns}).table
    return evaluate(train, synthetic, holdout=hold, label=label, quasi_identifiers=qi,
                    rng=np.random.default_rng(seq[3]), figures=False)


def on_generator(page) -> None:
    """The warm Generator page, ready for input (Python started once per module)."""
    if not page.url.split("#")[0].endswith("/" + PAGE):
        page.goto(PAGE)
    page.wait_for_function(
        "el => el && ['ready', 'done', 'error'].includes(el.dataset.state) && document.querySelector('#gen-n')",
        arg=page.locator(ROOT).element_handle(), timeout=PYTHON_READY_TIMEOUT)


def reload_generator(page) -> None:
    """Reload; the browser restores the scroll position, and the Generator starts Python once
    it is on screen (start on intent), so bring it into view and wait until it is ready."""
    page.reload()
    page.locator(ROOT).scroll_into_view_if_needed()
    page.wait_for_selector(ROOT + "[data-state=ready]", timeout=PYTHON_READY_TIMEOUT)


def use_table(page, name: str = "adult", *, reset: bool = True) -> None:
    """Load the bundled table ``name``; ``reset``: with the default settings (Reset settings)."""
    on_generator(page)

    def settle(action) -> None:
        before, errors = count(page, "data-inspections"), count(page, "data-errors")
        action()
        wait_settled(page, "inspections", before, errors, PYTHON_READY_TIMEOUT)

    bundled = page.locator("#gen-dataset").input_value() != ""
    if reset and bundled:
        settle(lambda: page.locator(ROOT + " .sl-gen__reset").click())   # reloads the table with defaults
    elif reset:
        page.locator(ROOT + " .sl-gen__reset").click()
    if page.locator("#gen-dataset").input_value() != name:
        settle(lambda: page.locator("#gen-dataset").select_option(name))
    assert attr(page, "data-state") == "ready", error_text(page)


def ensure_result(page) -> str:
    """A complete result on screen (a quick run on a small bundled table if there is none)."""
    on_generator(page)
    if page.locator(ROOT + " .sl-gen__result").is_visible() and page.locator(ROOT + " .sl-gen__report .sl-gen__term").count():
        return page.locator(ROOT + " .sl-gen__result").get_attribute("data-run-id")
    use_table(page, "adult")
    page.locator("#gen-n").fill("500")
    page.locator("#gen-method").select_option("independent")
    page.locator("#gen-figures").uncheck()
    set_label(page, "")
    generate(page)
    return page.locator(ROOT + " .sl-gen__result").get_attribute("data-run-id")


def tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate("sel => document.activeElement && document.activeElement.matches(sel)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("generator")


# ------------------------------------------------------------------------------------------
# Adult, two methods, downloads, compare
# ------------------------------------------------------------------------------------------
def test_page_loads_adult_and_shows_its_schema(watched_page):
    page, _ = watched_page
    page.goto(PAGE)
    page.evaluate("localStorage.removeItem('synthlab-generator-v1')")   # a first visit: no saved settings
    reload_generator(page)
    assert page.locator("#gen-dataset").input_value() == "adult"
    rows = page.locator(ROOT + " .sl-gen__schema tbody tr")
    assert rows.count() == 15
    first = rows.first
    assert first.get_attribute("data-column") == "age"
    assert "0 %" in first.inner_text() and "73" in first.inner_text()
    assert page.locator("#gen-label").input_value() == "income"
    assert "nothing is uploaded" in page.locator('label[for="gen-file"] ~ .sl-gen__help').inner_text()
    assert "never leaves your browser" in page.locator(".admonition").first.inner_text()
    for control in ("gen-dataset", "gen-file", "gen-label", "gen-n", "gen-method", "gen-seed", "gen-holdout",
                    "gen-constraints", "gen-figures"):
        assert page.locator(f'label[for="{control}"]').count() == 1, control
    for sel in (".sl-gen__schema select", ".sl-gen__exclude", ".sl-gen__sensitive"):
        assert all(page.locator(ROOT + " " + sel).evaluate_all("els => els.map(e => e.getAttribute('aria-label'))"))
    assert page.locator(ROOT + " [role=status][aria-live=polite]").count() == 1


_COPULA: dict = {}


@pytest.fixture
def copula_run(watched_page, folder) -> dict:
    """The copula run on Adult on screen (run once per module; again if another result replaced it)."""
    page, _ = watched_page
    on_generator(page)
    if _COPULA and page.locator(ROOT + " .sl-gen__result").get_attribute("data-run-id") == _COPULA["run_id"]:
        return _COPULA
    use_table(page, "adult")
    page.locator("#gen-n").fill("2000")
    page.locator("#gen-seed").fill("42")
    page.locator("#gen-method").select_option("gaussian_copula")
    page.locator('tr[data-column="fnlwgt"] .sl-gen__exclude').check()
    page.locator('tr[data-column="age"] .sl-gen__sensitive').check()
    page.locator('tr[data-column="sex"] .sl-gen__sensitive').check()
    page.locator("#gen-constraints").fill("age >= 18\nhours_per_week <= 90")
    generate(page)
    _COPULA.update(run_id=page.locator(ROOT + " .sl-gen__result").get_attribute("data-run-id"),
                   csv=save_download(page, "synthetic_csv", folder))
    return _COPULA


def test_copula_on_adult_preview_report_figures_equal_native(watched_page, folder, copula_run):
    page, _ = watched_page
    assert 0 < int(attr(page, "data-first-preview-ms")) <= int(attr(page, "data-report-ms")) <= int(attr(page, "data-total-ms"))
    real = table_cells(page, ROOT + " .sl-gen__previews .sl-table-wrap:nth-child(1)")
    synthetic = table_cells(page, ROOT + " .sl-gen__previews .sl-table-wrap:nth-child(2)")
    assert len(real) == len(synthetic) == 10 and len(synthetic[0]) == 14
    timing = page.locator(ROOT + " .sl-gen__timing").inner_text()
    assert "Fit and sample:" in timing and "Evaluation:" in timing and "Figures:" in timing
    assert "6,512 real rows (20%" in page.locator(ROOT + " .sl-gen__split").inner_text()
    # the numbers equal synthlearn.report.evaluate run natively on the same split and rows
    csv_path = copula_run["csv"]
    syn = pd.read_csv(csv_path, keep_default_na=False, na_values=[""])
    assert len(syn) == 2000 and (syn["age"] >= 18).all() and (syn["hours_per_week"] <= 90).all()
    with open(csv_path, newline="", encoding="utf-8") as fh:
        assert list(csv.reader(fh))[1:11] == synthetic             # the preview shows the first rows, as text
    table = datasets.load("adult").drop(["fnlwgt"])
    rep = native_report(table, csv_path, 42, 0.2, "income", ["age", "sex"])
    shown = shown_rows(page)
    for row in rep.rows:
        if row["score"] is None:
            assert shown[row["key"]] is None, row["key"]
        else:
            assert math.isclose(shown[row["key"]], row["score"], rel_tol=1e-9, abs_tol=1e-12), row["key"]
    assert "privacy.k_anonymity" in shown and "class_balance" in shown
    headline = page.locator(ROOT + " .sl-gen__report > .sl-table-wrap").first
    keys = headline.locator("tr[data-key]").evaluate_all("els => els.map(e => e.dataset.key)")
    assert keys[:4] == ["fidelity.column_shapes", "fidelity.pair_trends_all", "fidelity.pair_trends_strong",
                        "class_balance"]
    assert {"privacy.dcr_share", "privacy.identical_match_rate", "privacy.membership_inference_auc"} <= set(keys)
    for status in headline.locator("[data-status] .sl-gen__badge").all_inner_texts():
        assert status.split()[-1] in ("pass", "fail", "info")
    figures = page.locator(ROOT + " .sl-gen__figures img")
    assert figures.count() >= 2
    assert all(figures.evaluate_all("els => els.map(e => e.alt.length > 10 && e.src.startsWith('data:image/svg+xml'))"))


def test_definitions_show_on_hover_and_on_keyboard_focus(watched_page):
    page, _ = watched_page
    ensure_result(page)
    term = page.locator(ROOT + " .sl-gen__report .sl-gen__term").first
    tip = page.locator(ROOT + " .sl-gen__report .sl-gen__tip").first
    assert tip.is_hidden()
    term.hover()
    assert tip.is_visible() and "KSComplement" in tip.inner_text()
    page.mouse.move(0, 0)
    assert tip.is_hidden()
    term.focus()
    assert tip.is_visible()
    assert term.get_attribute("aria-describedby") == tip.get_attribute("id")
    page.keyboard.press("Escape")
    assert tip.is_hidden()


def test_downloads_parse_and_the_config_reproduces_the_csv_natively(watched_page, folder, monkeypatch, copula_run):
    page, _ = watched_page
    csv_path = copula_run["csv"]
    report_json = json.loads(save_download(page, "report_json", folder).read_text(encoding="utf-8"))
    assert {r["key"] for r in report_json["rows"]} <= set(shown_rows(page))
    html = save_download(page, "report_html", folder).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "data:image/svg+xml;base64," in html
    config_path = save_download(page, "config_yaml", folder)
    cfg = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    assert cfg["data"] == "adult" and cfg["seed"] == 42 and cfg["n"] == 2000 and cfg["exclude"] == ["fnlwgt"]
    assert cfg["constraints"] == ["age >= 18", "hours_per_week <= 90"]
    monkeypatch.chdir(folder)
    assert cli.main(["synthesize", "--config", str(config_path), "--out", "native.csv", "--no-report", "-q"]) == 0
    assert (folder / "native.csv").read_bytes() == csv_path.read_bytes()   # same seed, same rows


def test_sequential_trees_in_the_page_give_the_native_rows(watched_page, folder, monkeypatch):
    """Issue 12: the new method runs in the Generator, and its rows equal the native call (CLI, same config)."""
    page, _ = watched_page
    use_table(page, "penguins")
    page.locator("#gen-n").fill("300")
    page.locator("#gen-seed").fill("7")
    page.locator("#gen-method").select_option("cart")
    page.locator("#gen-figures").uncheck()
    generate(page)
    csv_path = save_download(page, "synthetic_csv", folder)
    config_path = save_download(page, "config_yaml", folder)
    assert yaml.safe_load(config_path.read_text(encoding="utf-8"))["method"] == "cart"
    monkeypatch.chdir(folder)
    assert cli.main(["synthesize", "--config", str(config_path), "--out", "native-cart.csv", "--no-report", "-q"]) == 0
    assert (folder / "native-cart.csv").read_bytes() == csv_path.read_bytes()   # same seed, same rows


def test_dp_method_with_epsilon_slider_then_compare(watched_page, copula_run):
    page, _ = watched_page                                 # the previous run: the copula on Adult
    page.locator("#gen-method").select_option("dp_mst")
    slider = page.locator("#gen-epsilon")
    assert slider.is_visible()
    assert "e^ε ≈ 2.72" in page.locator("#gen-epsilon-reading").inner_text()
    slider.focus()
    for _ in range(2):
        page.keyboard.press("ArrowLeft")                   # 1 -> 0.7 -> 0.5
    assert page.locator(ROOT + " .sl-gen__epsvalue").inner_text() == "= 0.5"
    assert "e^ε ≈ 1.65" in page.locator("#gen-epsilon-reading").inner_text()
    page.locator("#gen-figures").uncheck()
    set_label(page, "")                                     # skip the utility check to keep the test short
    generate(page)
    assert "ε = 0.5" in page.locator(ROOT + " .sl-gen__runtitle").inner_text()
    assert "(ε = 0.5, δ = 1e-09)-differential privacy" in page.locator(ROOT + " .sl-gen__dp").inner_text()
    compare = page.locator(ROOT + " .sl-gen__compare")
    assert compare.is_visible()
    heads = compare.locator("thead th").all_inner_texts()
    assert "Gaussian copula" in heads[1] and "ε = 0.5" in heads[2]
    row = compare.locator('tr[data-key="fidelity.pair_trends_strong"] td')
    assert row.count() == 3 and all(c.split()[0].replace(".", "").isdigit() for c in row.all_inner_texts()[:2])


# ------------------------------------------------------------------------------------------
# the reader's own files
# ------------------------------------------------------------------------------------------
def test_own_csv_is_read_in_the_page_and_sent_nowhere(watched_page, local_site, folder):
    page, watch = watched_page
    use_table(page, "adult")
    seen = set(watch.requests)
    sent: list[tuple[str, str, str | None]] = []
    page.on("request", lambda r: sent.append((r.method, r.url, r.post_data)))
    choose_file(page, DATA / "clinic.csv")
    assert page.locator(ROOT + " .sl-gen__schema tbody tr").count() == 6
    assert "not uploaded" in page.locator(ROOT + " .sl-gen__source").inner_text()
    assert page.locator("#gen-dataset").input_value() == ""
    set_label(page, "risk")
    page.locator("#gen-n").fill("300")
    page.locator("#gen-constraints").fill("")
    generate(page)
    assert "learned from 192 real rows; 48 real rows (20%" in page.locator(ROOT + " .sl-gen__split").inner_text()
    path = save_download(page, "synthetic_csv", folder)
    assert len(pd.read_csv(path)) == 300
    assert all(m == "GET" and d is None for m, _, d in sent)
    assert all(u.startswith(local_site) or u.startswith(("blob:", "data:")) for _, u, _ in sent)
    fetched = {u for _, u, _ in sent if not u.startswith(("blob:", "data:"))}
    # only the runtime's own files: already loaded, or a Pyodide package loaded on demand
    assert all(u in seen or u.startswith(local_site + "pyodide/") for u in fetched), fetched - seen
    assert not any("clinic" in u for _, u, _ in sent)


def test_malicious_cells_are_shown_as_text_and_run_nothing(watched_page):
    page, _ = watched_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    use_table(page, "adult")
    choose_file(page, DATA / "malicious.csv")
    header = page.locator(ROOT + ' .sl-gen__schema tbody tr').first.get_attribute("data-column")
    assert header == '<b onmouseover="window.__pwned=4">name</b>'
    page.locator(ROOT + " .sl-gen__rows summary").click()
    cells = table_cells(page, ROOT + " .sl-gen__rows")
    assert cells[0][0] == '<img src=x onerror="window.__pwned=1">'
    set_label(page, "group")
    page.locator("#gen-method").select_option("independent")
    page.locator("#gen-n").fill("200")
    generate(page)
    texts = page.locator(ROOT + " .sl-gen__previews").inner_text()
    assert "<script>window.__pwned=2</script>" in texts or '<img src=x onerror="window.__pwned=1">' in texts
    page.locator(ROOT + " .sl-gen__schema tbody tr").first.hover()
    assert page.evaluate("window.__pwned") is None
    assert page.locator(ROOT + " table img, " + ROOT + " table script, " + ROOT + " table svg, " + ROOT + " table b").count() == 0
    assert dialogs == []


def test_bad_files_give_a_clear_message_and_keep_the_table(watched_page, folder):
    page, _ = watched_page
    ensure_result(page)
    using = page.locator(ROOT + " .sl-gen__source strong").inner_text()
    choose_file(page, DATA / "malformed.csv", expect_error=True)
    assert "Line 5 has 4 fields but the header has 3" in error_text(page)
    assert "Traceback" not in error_text(page)
    choose_file(page, DATA / "not_csv.csv", expect_error=True)
    assert "This is a PNG image, not a CSV file" in error_text(page)
    assert page.locator(ROOT + " .sl-gen__source strong").inner_text() == using          # still the last good table
    assert page.locator(ROOT + " .sl-gen__result").is_visible()                         # and the last result
    big = folder / "huge.csv"
    with open(big, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    inspections, errors = count(page, "data-inspections"), count(page, "data-errors")
    page.locator("#gen-file").set_input_files(str(big))
    page.wait_for_function("([sel, n]) => Number(document.querySelector(sel).dataset.errors || 0) > n",
                           arg=[ROOT, errors])
    assert "is 200.0 MB; this page reads files up to 50.0 MB" in error_text(page)
    assert count(page, "data-inspections") == inspections                               # Python never saw it
    assert page.locator(ROOT + " .sl-gen__source strong").inner_text() == using


def test_one_class_label_and_ten_thousand_distinct_strings(watched_page):
    page, _ = watched_page
    ensure_result(page)
    use_table(page, "adult")
    choose_file(page, DATA / "one_class.csv")
    # a column with a single value cannot be a label: it is not offered (the check behind it,
    # "The label column ... has a single value", is unit-tested in tests/unit/test_generator.py)
    labels = page.locator("#gen-label option").evaluate_all("os => os.map(o => o.value)")
    assert "outcome" not in labels
    assert page.locator(ROOT + " .sl-gen__result").is_visible()
    choose_file(page, DATA / "many_strings.csv")
    warnings = page.locator(ROOT + " .sl-gen__warnings").first.inner_text()
    assert "customer_id" in warnings and "10,000 distinct values" in warnings
    box = page.locator('tr[data-column="customer_id"] .sl-gen__exclude')
    assert box.is_checked()                                  # excluded for now, and said so
    set_label(page, "segment")
    page.locator("#gen-n").fill("500")
    generate(page)
    assert "customer_id" not in page.locator(ROOT + " .sl-gen__previews").inner_text()
    box.uncheck()
    generate(page, expect_error=True)
    assert "Column 'customer_id' has 10,000 distinct values" in error_text(page) and "exclude it" in error_text(page)


def label_choices(page) -> list[str]:
    return page.locator("#gen-label option").evaluate_all("os => os.map(o => o.value)")


def test_an_excluded_column_is_not_offered_as_the_label(watched_page):
    page, _ = watched_page
    use_table(page, "adult")
    assert page.locator("#gen-label").input_value() == "income"
    assert {"income", "sex"} <= set(label_choices(page))
    page.locator('tr[data-column="sex"] .sl-gen__exclude').check()       # another column: the label stays
    assert "sex" not in label_choices(page) and page.locator("#gen-label").input_value() == "income"
    page.locator('tr[data-column="income"] .sl-gen__exclude').check()    # the label itself: no label now
    assert "income" not in label_choices(page)
    assert page.locator("#gen-label").input_value() == ""
    page.locator('tr[data-column="income"] .sl-gen__exclude').uncheck()  # included again: offered again
    assert "income" in label_choices(page) and "sex" not in label_choices(page)
    set_label(page, "income")
    reload_generator(page)                                                 # the saved settings agree
    assert "sex" not in label_choices(page) and page.locator("#gen-label").input_value() == "income"
    page.locator('tr[data-column="sex"] .sl-gen__exclude').uncheck()
    assert "sex" in label_choices(page)


def test_cancel_mid_run_then_a_new_run(watched_page):
    page, _ = watched_page
    ensure_result(page)
    use_table(page, "adult")
    set_label(page, "income")
    kept = page.locator(ROOT + " .sl-gen__result").get_attribute("data-run-id")
    page.locator(ROOT + " .sl-gen__generate").click()
    page.wait_for_selector(ROOT + "[data-stage=evaluating]", timeout=RUN_TIMEOUT)
    page.locator(ROOT + " .sl-gen__cancel").click()
    page.wait_for_selector(ROOT + "[data-state=error]")
    assert "Cancelled" in error_text(page)
    assert page.locator(ROOT + " .sl-gen__result").get_attribute("data-run-id") == kept   # last complete result back
    assert page.locator(ROOT + " .sl-gen__generate").is_enabled()
    set_label(page, "")
    page.locator("#gen-n").fill("1000")
    generate(page)                                         # a fresh Python starts and runs
    assert page.locator(ROOT + " .sl-gen__result").get_attribute("data-run-id") != kept


def test_keyboard_only(watched_page):
    page, _ = watched_page
    use_table(page, "adult")
    page.locator("#gen-dataset").focus()
    page.keyboard.press("ArrowDown")                        # next bundled table: breast cancer
    page.wait_for_function(f"document.querySelector('{ROOT}').dataset.state === 'ready' && "
                           "document.querySelector('#gen-dataset').value !== 'adult'", timeout=PYTHON_READY_TIMEOUT)
    assert page.locator("#gen-dataset").input_value() == "breast_cancer"
    tab_to(page, ".sl-gen__exclude")
    page.keyboard.press("Space")
    assert page.locator(ROOT + " .sl-gen__exclude").first.is_checked()
    tab_to(page, "#gen-n")
    page.keyboard.press("Control+A")
    page.keyboard.type("400")
    tab_to(page, "#gen-method")
    page.keyboard.press("Home")                              # independent columns
    tab_to(page, "#gen-figures")
    if page.locator("#gen-figures").is_checked():
        page.keyboard.press("Space")
    tab_to(page, ".sl-gen__generate")
    focus_ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    runs, errors = count(page, "data-runs"), count(page, "data-errors")
    page.keyboard.press("Enter")
    wait_settled(page, "runs", runs, errors)
    assert attr(page, "data-state") == "done", error_text(page)
    assert "400 records" in page.locator(ROOT + " .sl-gen__runtitle").inner_text()
    assert "Independent columns" in page.locator(ROOT + " .sl-gen__runtitle").inner_text()
    assert focus_ring != "none"
    tab_to(page, ".sl-gen__report .sl-gen__term")
    assert page.locator(ROOT + " .sl-gen__report .sl-gen__tip").first.is_visible()
    tab_to(page, 'button[data-download="config_yaml"]')
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert yaml.safe_load(Path(info.value.path()).read_text())["method"] == "independent"


def test_settings_persist_and_a_corrupt_store_resets(watched_page):
    page, _ = watched_page
    use_table(page, "adult")
    page.locator("#gen-n").fill("400")
    page.locator("#gen-method").select_option("independent")
    page.locator("#gen-seed").fill("777")
    page.locator("#gen-seed").dispatch_event("change")
    reload_generator(page)
    assert page.locator("#gen-seed").input_value() == "777"
    assert page.locator("#gen-n").input_value() == "400"
    assert page.locator("#gen-method").input_value() == "independent"
    assert page.locator(ROOT + " .sl-gen__notice").is_hidden()
    page.evaluate("localStorage.setItem('synthlab-generator-v1', '{not json')")
    reload_generator(page)
    assert page.locator(ROOT + " .sl-gen__notice").is_visible()
    assert page.locator("#gen-seed").input_value() == "42" and page.locator("#gen-n").input_value() == "5000"
    assert page.locator("#gen-dataset").input_value() == "adult"


def test_phone_width_has_no_sideways_scroll(watched_page, folder):
    page, _ = watched_page
    ensure_result(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # layout settles
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    box = page.locator(ROOT + " .sl-gen__generate").bounding_box()
    assert box["height"] >= 40 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.screenshot(path=str(folder / "phone.png"), full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})


# ------------------------------------------------------------------------------------------
# where messages appear, what is hidden, what a result belongs to (issue 10, items 1, 3, 4)
# ------------------------------------------------------------------------------------------
def test_a_refused_file_is_announced_next_to_the_file_chooser(watched_page, folder):
    page, _ = watched_page
    use_table(page, "adult")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#gen-file").scroll_into_view_if_needed()
    choose_file(page, DATA / "malformed.csv", expect_error=True)
    box = page.locator(ROOT + " .sl-gen__error")
    assert box.get_attribute("role") == "alert" and box.is_visible()
    assert page.locator(ROOT + " .sl-gen__drop + .sl-gen__error").count() == 1        # right under the chooser
    chooser, message = page.locator("#gen-file").bounding_box(), box.bounding_box()
    assert 0 <= message["y"] - chooser["y"] < 300
    assert message["y"] + message["height"] <= page.evaluate("innerHeight") + 5         # on screen, no scrolling
    assert "Still using Adult" in box.inner_text()
    # too few rows: refused when the file is loaded, not first at Generate
    tiny = folder / "tiny.csv"
    tiny.write_text("a,b\n" + "".join(f"{i},{i % 3}\n" for i in range(12)), encoding="utf-8")
    inspections = count(page, "data-inspections")
    choose_file(page, tiny, expect_error=True)
    assert "The table has 12 rows; the generator needs at least 30" in box.inner_text()
    assert count(page, "data-inspections") == inspections
    assert page.locator(ROOT + " .sl-gen__drop + .sl-gen__error").count() == 1
    # a later Generate error shows by the Generate button instead
    page.locator("#gen-n").fill("0")
    generate(page, expect_error=True)
    assert page.locator(ROOT + " .sl-gen__actions + .sl-gen__error").count() == 1
    assert page.locator(ROOT + " .sl-gen__drop + .sl-gen__error").count() == 0


def test_cancel_is_hidden_when_idle_and_clicking_it_idle_changes_nothing(watched_page):
    page, _ = watched_page
    use_table(page, "adult")
    cancel = page.locator(ROOT + " .sl-gen__cancel")
    assert cancel.is_hidden()
    assert page.evaluate("getComputedStyle(document.querySelector('.sl-gen__cancel')).display") == "none"
    page.evaluate("window.synthlab.runtime.worker.__probe = 'kept'")
    errors = count(page, "data-errors")
    page.evaluate("document.querySelector('.sl-gen__cancel').click()")     # a stray click while idle
    assert page.evaluate("window.synthlab.runtime.worker && window.synthlab.runtime.worker.__probe") == "kept"
    assert count(page, "data-errors") == errors and attr(page, "data-state") == "ready"
    assert page.locator(ROOT + " .sl-gen__error").is_hidden()


def test_advanced_options_never_open_empty(watched_page):
    page, _ = watched_page
    use_table(page, "adult")
    methods = page.locator("#gen-method option").evaluate_all("os => os.map(o => o.value)")
    assert "gaussian_copula" in methods
    for method in methods:
        page.locator("#gen-method").select_option(method)
        advanced = page.locator(ROOT + " .sl-gen__advanced")
        fields = advanced.locator("[data-param]").count()
        assert advanced.is_visible() == (fields > 0), method
        if fields:
            advanced.locator("summary").click()
            assert advanced.locator("[data-param]").first.is_visible(), method
            advanced.locator("summary").click()


def test_a_result_says_which_table_it_was_made_from(watched_page):
    page, _ = watched_page
    ensure_result(page)
    use_table(page, "adult", reset=False)
    result = page.locator(ROOT + " .sl-gen__result")
    made_from = page.locator(ROOT + " .sl-gen__origin")
    if result.get_attribute("data-stale") == "true":           # the result on screen is not from Adult
        page.locator("#gen-n").fill("300")
        page.locator("#gen-figures").uncheck()
        set_label(page, "")
        generate(page)
    assert result.get_attribute("data-stale") == "false" and "Made from Adult" in made_from.inner_text()
    choose_file(page, DATA / "clinic.csv")                       # another table: the old result is labelled
    assert result.get_attribute("data-stale") == "true"
    assert "not from the table loaded now (clinic.csv)" in made_from.inner_text()
    choose_file(page, DATA / "not_csv.csv", expect_error=True)   # a refused file changes nothing
    assert result.get_attribute("data-stale") == "true"
    use_table(page, "adult", reset=False)                        # back to the result's own table
    assert result.get_attribute("data-stale") == "false"


def test_no_console_errors_and_no_request_leaves_localhost(watched_page, local_site):
    _, watch = watched_page
    assert watch.errors == []
    assert watch.external(local_site) == []
