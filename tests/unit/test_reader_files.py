"""What a new reader's own files need (issue 10, items 5, 6, 7, 10): synthetic CSVs in the
source's format, formula cells neutralised in downloads, extreme magnitudes refused clearly,
and hints for files written the European way."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from synthlearn.app import cli
from synthlearn.csvio import FORMULA_NOTE, formula_cells, read_csv, write_csv
from synthlearn.errors import InputError
from synthlearn.metrics.fidelity import (
    association_matrix,
    pearson,
    pearson_matrix,
    quality,
    sdmetrics_bins,
    shared_histograms,
)
from synthlearn.stats import bin_edges
from synthlearn.synthesizers import METHODS, hybrid_release, make_synthesizer
from synthlearn.table import MAX_ABS, Column, Table, ValueFormat

SOURCE = """day,moment,price,weight,count_f,share
2024-01-03,2024-01-03 08:15,12.5,70.25,3.0,0.125
2024-02-29,2024-02-29 17:45,9.9,81.5,4.0,0.5
2024-03-15,2024-03-15 12:00,15.0,65.75,7.0,0.875
2024-05-31,2024-05-31 23:30,11.2,90.0,2.0,0.25
2024-07-04,2024-07-04 06:05,8.4,77.125,5.0,0.375
2024-09-09,2024-09-09 10:10,13.3,68.5,6.0,0.625
"""


def _cells(text: str, column: str) -> list[str]:
    lines = text.strip().splitlines()
    j = lines[0].split(",").index(column)
    return [line.split(",")[j] for line in lines[1:] if line.split(",")[j]]


# ----------------------------------------------------------------------------- item 5
def test_formats_are_remembered_at_read_time():
    t = read_csv(SOURCE).table
    assert t["day"].fmt == ValueFormat(unit=86400.0)
    assert t["moment"].fmt == ValueFormat(unit=60.0)
    assert t["price"].fmt == ValueFormat(decimals=1, whole=False)
    assert t["weight"].fmt == ValueFormat(decimals=3, whole=False)
    assert t["count_f"].fmt == ValueFormat(decimals=1, whole=True)
    assert read_csv("a\n1e-3\n2.5\n").table["a"].fmt.decimals is None  # exponents: full precision
    assert read_csv("t\n2024-01-01 10:00:00.25\n2024-01-02\n").table["t"].fmt.unit == pytest.approx(0.01)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_synthetic_csv_keeps_the_source_formats(method):
    """Dates stay dates, minutes stay minutes, decimals follow the source, whole stays whole."""
    real = read_csv(SOURCE * 1).table
    real = Table(tuple(real.columns)).take(np.tile(np.arange(real.n_rows), 20))  # 120 rows to fit on
    synth = make_synthesizer(method).fit(real, rng=0)
    text = write_csv(synth.sample(200, rng=1))
    days = _cells(text, "day")
    assert days and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in days), days[:5]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", m) for m in _cells(text, "moment"))
    assert all(re.fullmatch(r"-?\d+\.\d", p) for p in _cells(text, "price")), _cells(text, "price")[:5]
    assert all(re.fullmatch(r"-?\d+\.\d{1,3}", w) for w in _cells(text, "weight"))
    assert all(re.fullmatch(r"-?\d+\.0", c) for c in _cells(text, "count_f"))
    # the table read back is the table written: what the metrics saw is what the file holds
    back = read_csv(text).table
    for name in ("price", "weight", "count_f", "day", "moment"):
        ours = synth.sample(200, rng=1)[name].values
        np.testing.assert_array_equal(back[name].values, ours)


def test_hybrid_release_keeps_the_source_formats():
    """A hybrid release (real and synthetic rows mixed) writes its values as the source did, like
    every synthesizer: dates as dates, minutes without seconds, the source's decimals."""
    real = read_csv(SOURCE).table
    real = Table(tuple(real.columns)).take(np.tile(np.arange(real.n_rows), 20))
    synthetic = make_synthesizer("gaussian_copula").fit(real, rng=0).sample(120, rng=1)
    out = hybrid_release(real, synthetic, real_share=0.5, rng=2)
    for name in ("day", "moment", "price", "weight", "count_f"):
        assert out[name].fmt == real[name].fmt, name
    text = write_csv(out)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in _cells(text, "day"))
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", m) for m in _cells(text, "moment")), _cells(text, "moment")[:3]
    assert all(re.fullmatch(r"-?\d+\.\d", p) for p in _cells(text, "price"))
    assert all(re.fullmatch(r"-?\d+\.\d{1,3}", w) for w in _cells(text, "weight"))
    assert all(re.fullmatch(r"-?\d+\.0", c) for c in _cells(text, "count_f"))
    back = read_csv(text).table
    np.testing.assert_array_equal(back["moment"].values, out["moment"].values)


def test_round_trip_write_read_write_is_stable_and_rounding_is_idempotent():
    real = read_csv(SOURCE).table
    text = write_csv(real)
    assert write_csv(read_csv(text).table) == text
    for col in real.columns:  # the real values already have their format: conform changes nothing
        np.testing.assert_array_equal(col.conform(col.values), col.values)
    raw = np.array([12.34999, -0.05, 2.5e-9, np.nan, 1e140])
    once = ValueFormat(decimals=1).round(raw)
    np.testing.assert_array_equal(ValueFormat(decimals=1).round(once), once)
    assert once[0] == 12.3 and repr(float(once[1])) == "0.0" and once[4] == 1e140 and np.isnan(once[3])


# ----------------------------------------------------------------------------- item 6
DANGER = ["=HYPERLINK(\"http://127.0.0.1/x\",\"click\")", "+cmd", "-2+3", "@SUM(A1)", "\tx", "plain", "-7"]


def test_formula_cells_are_neutralised_and_numbers_are_not():
    t = Table((Column("note", "categorical", np.arange(len(DANGER), dtype=float), categories=tuple(DANGER)),
               Column("delta", "numeric", np.array([-1.5, 2.0, -3.25, 0.0, -0.5, 1.0, -7.0])),
               Column("=name", "integer", np.array([-1, 2, -3, 4, -5, 6, -7], dtype=float))))
    safe = write_csv(t, neutralise_formulas=True)
    back = read_csv(safe).table
    notes = set(back["note"].categories)
    assert {"'=HYPERLINK(\"http://127.0.0.1/x\",\"click\")", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx"} <= notes
    assert {"plain", "-7"} <= notes                                   # text that is a plain number stays
    np.testing.assert_array_equal(back["delta"].values, t["delta"].values)  # negative numbers untouched
    assert back.names == ["note", "delta", "'=name"]
    assert formula_cells(t) == 6  # five text cells and one column name
    # the default write is faithful (round trip), and nothing at all changes without risky cells
    assert set(read_csv(write_csv(t)).table["note"].categories) == {d.strip() for d in DANGER}  # cells are stripped
    plain = Table((Column("x", "numeric", np.array([-1.0, 2.0])),))
    assert write_csv(plain, neutralise_formulas=True) == write_csv(plain) and formula_cells(plain) == 0
    with pytest.raises(InputError, match="True or False"):
        write_csv(plain, neutralise_formulas="yes")
    assert "OWASP" in FORMULA_NOTE


def test_cli_neutralises_by_default_and_keeps_on_request(tmp_path, capsys):
    rng = np.random.default_rng(0)
    rows = ["id,comment,amount"] + [f"{i},{rng.choice(DANGER[:4] + ['ok', 'fine'])},{rng.normal():.2f}"
                                    for i in range(200)]
    data = tmp_path / "d.csv"
    data.write_text("\n".join(r.replace(",\"click\")", "") for r in rows) + "\n", encoding="utf-8")
    cfg = tmp_path / "run.yaml"
    cfg.write_text(f"data: {data}\nmethod: independent\nn: 300\nseed: 2\n", encoding="utf-8")
    out = tmp_path / "s.csv"
    assert cli.main(["synthesize", "-c", str(cfg), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    comments = set(read_csv(out).table["comment"].categories)
    assert comments and all(not c.startswith(("=", "+", "-", "@")) for c in comments)
    assert any(c.startswith("'=") for c in comments) and "OWASP" in err and "--keep-formulas" in err
    assert cli.main(["synthesize", "-c", str(cfg), "-o", str(out), "--keep-formulas"]) == 0
    assert any(c.startswith("=") for c in read_csv(out).table["comment"].categories)


def test_generator_download_neutralises_and_says_so(tmp_path):
    from synthlearn.app import studio as generator

    table = Table((Column("c", "categorical", np.tile([0.0, 1.0, 2.0], 40), categories=("=1+1", "a", "b")),
                   Column("x", "numeric", np.linspace(-5, 5, 120))))
    path = tmp_path / "f.csv"
    path.write_text(write_csv(table), encoding="utf-8")
    res = generator.synthesize({"data": str(path), "method": "independent", "n": 90, "seed": 1})
    dl = generator.download(res["run_id"], "synthetic_csv")
    cats = read_csv(dl["text"]).table["c"].categories
    assert "'=1+1" in cats and "=1+1" not in cats
    assert dl["note"] and "OWASP" in dl["note"]
    assert generator.download(res["run_id"], "config_yaml")["note"] is None


# ----------------------------------------------------------------------------- item 7
def test_bin_edges_equal_numpy_and_survive_the_float_limit():
    rng = np.random.default_rng(3)
    for x in (rng.normal(size=50), np.array([5.0]), np.array([1.0, 1.0]), np.arange(7.0), np.array([])):
        np.testing.assert_array_equal(bin_edges(x, 10), np.histogram_bin_edges(x, 10) if x.size else
                                      np.linspace(0, 1, 11))
    for x in (np.array([-1.7e308, 1.7e308, 0.0]), np.array([1.7e308, 1.7e308]), np.array([-1.79e308, 1e-300])):
        e = bin_edges(x, 10)
        assert e.size == 11 and np.all(np.isfinite(e)) and np.all(np.diff(e) > 0)
        assert e[0] <= x.min() and e[-1] >= x.max()
        np.histogram(x, bins=e)  # numpy accepts them
    assert sdmetrics_bins(np.array([-1.7e308, 1.7e308, np.nan])).tolist() == [1, 11, 11]


def test_magnitudes_beyond_the_limit_get_one_clear_sentence_everywhere(tmp_path, capsys):
    with pytest.raises(InputError, match=r"Column 'big', line 3 holds 1e300: numbers beyond ±1e150") as err:
        read_csv("big,y\n1.5,1\n1e300,2\n")
    assert err.value.row == 3
    with pytest.raises(InputError, match="rescale the column"):
        Table.from_arrays({"big": np.array([1.0, -1.7e308])})
    data = tmp_path / "big.csv"
    data.write_text("big,y\n" + "".join(f"{v!r},{i % 3}\n" for i, v in enumerate([1e300, -1.7e308, 0.0] * 20)))
    cfg = tmp_path / "run.yaml"
    cfg.write_text(f"data: {data}\nmethod: gaussian_copula\nn: 50\n")
    assert cli.main(["synthesize", "-c", str(cfg), "-o", str(tmp_path / "s.csv")]) != 0
    err = capsys.readouterr().err
    assert "numbers beyond ±1e150" in err and "Traceback" not in err
    assert cli.main(["evaluate", "--real", str(data), "--synthetic", str(data), "--figures", "--format", "html",
                     "-o", str(tmp_path / "r.html")]) != 0
    err = capsys.readouterr().err
    assert "numbers beyond ±1e150" in err and "Traceback" not in err


@pytest.mark.parametrize("method", ["gaussian_copula", "kde", "dp_mst"])
def test_numbers_at_the_limit_go_through_synthesize_evaluate_and_figures(method, tmp_path, capsys):
    rng = np.random.default_rng(0)
    big = rng.choice([-MAX_ABS, MAX_ABS, 0.0, 1e149, -5e149, 3.0], 300)
    data = tmp_path / "edge.csv"
    data.write_text("big,y,c\n" + "".join(f"{b!r},{y:.2f},{c}\n" for b, y, c in
                                           zip(big, rng.normal(size=300), rng.choice(list("abc"), 300))))
    cfg = tmp_path / "run.yaml"
    cfg.write_text(f"data: {data}\nmethod: {method}\nn: 300\nseed: 1\n")
    syn = tmp_path / "s.csv"
    with np.errstate(all="raise"):  # no overflow anywhere on the way
        assert cli.main(["synthesize", "-q", "-c", str(cfg), "-o", str(syn)]) == 0
        report = tmp_path / "r.html"
        assert cli.main(["evaluate", "--real", str(data), "--synthetic", str(syn), "--figures", "--format", "html",
                         "-o", str(report)]) == 0
    assert report.read_text().count("data:image/svg+xml;base64,") >= 2  # the figures were drawn
    real, fake = read_csv(data).table, read_csv(syn).table
    assert np.all(np.abs(fake["big"].values) <= MAX_ABS)
    q = quality(real, fake)
    assert all(np.isfinite(c["score"]) for c in q.columns)
    r, s, _ = shared_histograms(real["big"], fake["big"])
    assert r.sum() == s.sum() == 300
    assert np.isfinite(association_matrix(real)).all()


def test_correlations_do_not_overflow_near_the_limit():
    x = np.array([-1e150, 0.0, 1e150, 5e149])
    y = np.array([-2e150, 0.0, 2e150, 1e150])
    assert pearson(x, y) == pytest.approx(1.0)
    assert pearson_matrix(np.column_stack([x, y]))[0, 1] == pytest.approx(1.0)


# ----------------------------------------------------------------------------- item 10 (files)
def test_day_first_dates_and_decimal_commas_get_a_hint():
    res = read_csv("when;amount;code\n31.05.2024;1.234,56;1\n01.06.2024;12,5;2\n15.06.2024;-3,25;3\n")
    hints = " ".join(res.warnings)
    assert "'when'" in hints and "ISO 8601" in hints and "2024-05-31" in hints
    assert "'amount'" in hints and "decimal commas" in hints
    assert not any("'code'" in w for w in res.warnings)
    assert not read_csv("when\n2024-05-31\n2024-06-01\n").warnings


# ----------------------------------------------------------------------------- item 9
def _many_levels(n: int = 3000, levels: int = 10_000, seed: int = 0) -> Table:
    rng = np.random.default_rng(seed)
    common = rng.choice(["A", "B", "C"], n, p=[0.5, 0.3, 0.2])
    rare = np.array([f"r{i:05d}" for i in rng.integers(0, levels, n)])
    code = np.where(rng.random(n) < 0.6, common, rare)
    return Table.from_arrays({"code": list(code), "grp": list(np.where(code == "A", "a", rng.choice(["a", "b"], n))),
                              "x": rng.normal(size=n)})


def test_pair_tables_cap_a_10000_level_column_to_its_top_categories_plus_other():
    from synthlearn.metrics.fidelity import MAX_PAIR_LEVELS, capped_codes, contingency_similarity, pair_trend

    real, syn = _many_levels(seed=0), _many_levels(seed=1)
    from synthlearn.metrics._checks import align
    real, syn = align(real, ("synthetic", syn))
    code = real["code"]
    assert len(code.categories) > 2000
    codes, k = capped_codes(code)
    assert k == MAX_PAIR_LEVELS and codes.max() < k
    counts = np.bincount(code.values.astype(int), minlength=len(code.categories))
    top = np.argsort(-counts, kind="stable")[: MAX_PAIR_LEVELS - 2]
    # the three common categories keep their own levels; everything outside the top shares "other"
    for label in ("A", "B", "C"):
        assert code.categories.index(label) in top
    outside = ~np.isin(code.values.astype(int), top)
    assert outside.any() and np.all(codes[outside] == MAX_PAIR_LEVELS - 2)
    assert np.unique(codes[~outside]).size == np.unique(code.values[~outside]).size
    # the synthetic column is mapped with the real column's top categories
    s_codes, _ = capped_codes(syn["code"], code)
    s_top = np.isin(syn["code"].values.astype(int), top)
    assert np.all(s_codes[~s_top] == MAX_PAIR_LEVELS - 2)
    # the pair score is the contingency similarity of the capped tables, computed by hand
    item = pair_trend(code, real["grp"], syn["code"], syn["grp"])
    g_r, kg = capped_codes(real["grp"])
    g_s, _ = capped_codes(syn["grp"], real["grp"])
    expected, v = contingency_similarity(codes, g_r, s_codes, g_s, k, kg)
    assert item["score"] == pytest.approx(expected) and item["real_association"] == pytest.approx(v)
    assert 0.5 < item["score"] < 1.0


def test_encoder_caps_one_hot_width_and_detection_runs_on_the_capped_features():
    from synthlearn.learners import OTHER, Encoder
    from synthlearn.metrics.detection import detection

    real = _many_levels()
    enc = Encoder(standardize=True).fit(real)
    code_features = [f for f in enc.feature_names_ if f.startswith("code=")]
    assert len(code_features) == 50 and code_features[-1] == f"code={OTHER}"
    assert {"code=A", "code=B", "code=C"} <= set(code_features)
    x = enc.transform(real)
    j = enc.feature_names_.index(f"code={OTHER}")
    kept = {f.split("=", 1)[1] for f in code_features[:-1]}
    labels = np.array(real["code"].categories)[real["code"].values.astype(int)]
    np.testing.assert_array_equal(x[:, j], ~np.isin(labels, list(kept)))  # the rest is "(other)"
    assert np.all(x[:, [enc.feature_names_.index(f) for f in code_features]].sum(axis=1) == 1)
    res = detection(real, _many_levels(seed=1), rng=0)
    assert 0.0 <= res.detection_score <= 1.0
    with pytest.raises(InputError, match="max_levels"):
        Encoder(max_levels=1).fit(real)


# ----------------------------------------------------------------------------- item 10 (labels)
def _flagged(n: int = 400, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    rows = [f"{i},{v:.3f},{int(v + rng.normal() > 0)},{rng.choice(['a', 'b'])}" for i, v in enumerate(x)]
    return "row_id,x,churned,grp\n" + "\n".join(rows) + "\n"


def test_labels_offered_are_0_1_numbers_and_categories_never_identifiers(tmp_path):
    from synthlearn.app import studio as generator

    path = tmp_path / "flags.csv"
    path.write_text(_flagged())
    info = generator.inspect(str(path))
    cols = {c["name"]: c for c in info["columns"]}
    assert cols["churned"]["kind"] == "integer" and cols["churned"]["can_be_label"]   # 0/1: offered
    assert cols["grp"]["can_be_label"] and not cols["x"]["can_be_label"]
    assert cols["row_id"]["suggest_exclude"] and not cols["row_id"]["can_be_label"]   # identifier: not offered
    # a 0/1 label runs the utility checks (they were skipped before)
    res = generator.synthesize({"data": str(path), "method": "gaussian_copula", "n": 300, "seed": 0,
                                "exclude": ["row_id"], "evaluation": {"label": "churned"}})
    rep = generator.evaluate_run(res["run_id"])
    assert "utility" in json.dumps(rep) and "TSTR" in json.dumps(rep)


def test_evaluate_accepts_a_0_1_label_and_maps_synthetic_values_alike():
    from synthlearn.csvio import label_as_category
    from synthlearn.report import evaluate

    real = read_csv(_flagged()).table.drop(["row_id"])
    syn = read_csv(_flagged(seed=1)).table.drop(["row_id"])
    as_cat = label_as_category(real, "churned")
    assert as_cat["churned"].kind == "categorical" and as_cat["churned"].categories == ("0", "1")
    np.testing.assert_array_equal(as_cat["churned"].values, real["churned"].values)
    odd = syn.with_columns([syn["churned"].with_values(np.where(syn["churned"].values == 1, 2.0, 0.0))])
    mapped = label_as_category(odd, "churned", real)["churned"]
    assert mapped.categories == ("0", "1") and np.isnan(mapped.values[odd["churned"].values == 2]).all()
    rep = evaluate(real, syn, label="churned", figures=False)
    assert rep.scores["utility"]["label"] == "churned"
    assert label_as_category(real, "x") is real  # not a 0/1 column: unchanged


# ----------------------------------------------------------------------------- item 11 (figures)
def test_report_figures_have_readable_text_and_nothing_cut():
    """Text ≥ 8 pt (≥ 10.7 CSS px at the figure's natural size) and every label inside the canvas."""
    import matplotlib

    from synthlearn.plotting import FIG_FONT, fit_inside, new_figure
    from synthlearn.report import report_figures

    rng = np.random.default_rng(0)
    n = 400
    long = [f"a rather long category label number {i}" for i in range(12)]
    real = Table.from_arrays({"long_named_category_column": list(rng.choice(long, n)), "x": rng.normal(size=n)})
    syn = Table.from_arrays({"long_named_category_column": list(rng.choice(long, n)), "x": rng.normal(size=n)})
    figs = report_figures(real, syn)
    assert figs
    for fig in figs:
        sizes = [float(v) for v in re.findall(r"font-size:\s*([\d.]+)px", fig["svg"])]
        assert sizes and min(sizes) >= FIG_FONT * 0.99, (fig["key"], sorted(set(sizes))[:3])  # matplotlib writes pt as px
    # fit_inside: rotated labels that ran past the bottom edge are brought inside
    fig = new_figure(3.6, 2.6, layout=None)
    ax = fig.add_axes((0.1, 0.05, 0.85, 0.85))
    ax.bar(range(5), range(5))
    ax.set_xticks(range(5), [f"label number {i} that is long" for i in range(5)], rotation=45, ha="right")
    renderer = fig.canvas.get_renderer()
    assert ax.get_tightbbox(renderer).y0 < fig.bbox.y0  # cut before
    fit_inside(fig)
    tight = ax.get_tightbbox(renderer)
    assert tight.y0 >= fig.bbox.y0 - 0.5 and tight.x0 >= fig.bbox.x0 - 0.5 and tight.x1 <= fig.bbox.x1 + 0.5
    assert matplotlib.__version__


def test_the_generator_tells_the_reader_a_file_was_read_as_windows_1252(tmp_path):
    from synthlearn.app import studio as generator

    path = tmp_path / "excel.csv"
    path.write_bytes(("city,n\n" + "".join(f"{c},{i}\n" for i, c in enumerate(["Köln", "Zürich", "Genève"] * 10)))
                     .encode("cp1252"))
    info = generator.inspect(str(path))
    assert any("Windows-1252" in w for w in info["warnings"])
    assert set(next(c for c in info["columns"] if c["name"] == "city")["examples"]) == {"Köln", "Zürich", "Genève"}
