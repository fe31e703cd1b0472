"""Tests for synthlearn.datasets: the bundled tables against independent references
(scikit-learn's loaders, pandas.read_csv, the figures published in adult.names) and
the make_correlated helper."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from synthlearn import datasets
from synthlearn.csvio import check_label
from synthlearn.errors import InputError

DATA = resources.files("synthlearn").joinpath("data")


def test_list_datasets_is_json_and_matches_the_tables():
    items = datasets.list_datasets()
    json.dumps(items)
    assert [i["name"] for i in items] == ["adult", "breast_cancer", "penguins", "wine"]
    for item in items:
        for key in ("name", "title", "rows", "columns", "label", "source", "licence", "description"):
            assert isinstance(item[key], (str, int)) and item[key] != "", (item["name"], key)
        t = datasets.load(item["name"])
        assert (t.n_rows, t.n_cols) == (item["rows"], item["columns"])
        check_label(t, item["label"])
    licences = {i["name"]: i["licence"] for i in items}
    assert licences == {"adult": "CC BY 4.0", "breast_cancer": "CC BY 4.0", "penguins": "CC0 1.0",
                        "wine": "CC BY 4.0"}


def test_shipped_files_are_small():
    for name in ("adult.csv.gz", "breast_cancer.csv.gz", "penguins.csv", "wine.csv"):
        size = len(DATA.joinpath(name).read_bytes())
        assert size < 450_000 if name.endswith(".gz") else size < 50_000, name


def test_adult_shape_missing_and_label():
    t = datasets.load("adult")
    assert (t.n_rows, t.n_cols) == (32_561, 15)
    assert t.names == ["age", "workclass", "fnlwgt", "education", "education_num", "marital_status", "occupation",
                       "relationship", "race", "sex", "capital_gain", "capital_loss", "hours_per_week",
                       "native_country", "income"]
    for name in ("workclass", "occupation", "native_country"):
        assert t[name].missing_share > 0
    assert t["income"].categories == ("<=50K", ">50K")
    # adult.names: 32,561 training rows, 30,162 once rows with unknown values are removed
    complete = ~np.isnan(t.matrix()).any(axis=1)
    assert int(complete.sum()) == 30_162
    # the same file read by pandas
    ref = pd.read_csv(DATA.joinpath("adult.csv.gz"), na_values="?", keep_default_na=False)
    for col in t.columns:
        assert col.missing.sum() == ref[col.name].isna().sum(), col.name
        if col.kind == "integer":
            np.testing.assert_array_equal(col.values, ref[col.name].to_numpy(dtype=float))
        else:
            assert col.categories == tuple(sorted(ref[col.name].dropna().unique()))
            decoded = np.array(col.categories, dtype=object)[np.nan_to_num(col.values).astype(int)]
            mask = ~col.missing
            assert (decoded[mask] == ref[col.name].to_numpy()[mask]).all(), col.name
    assert {c.name: c.kind for c in t.columns}["education_num"] == "integer"
    assert sorted(t["sex"].categories) == ["Female", "Male"]


def test_wine_matches_scikit_learn():
    from sklearn.datasets import load_wine

    ref = load_wine()
    t = datasets.load("wine")
    X = t.matrix(t.names[:-1])
    np.testing.assert_array_equal(X, ref.data)
    cls = t["class"]
    assert cls.categories == tuple(ref.target_names)
    np.testing.assert_array_equal(cls.values, ref.target)
    assert np.bincount(ref.target).tolist() == [59, 71, 48]
    assert [n.replace("/", "_") for n in ref.feature_names] == t.names[:-1]


def test_breast_cancer_matches_scikit_learn():
    from sklearn.datasets import load_breast_cancer

    ref = load_breast_cancer()
    t = datasets.load("breast_cancer")
    np.testing.assert_array_equal(t.matrix(t.names[:-1]), ref.data)
    diag = t["diagnosis"]
    assert diag.categories == ("benign", "malignant")  # sorted
    labels = np.array(diag.categories)[diag.values.astype(int)]
    np.testing.assert_array_equal(labels, ref.target_names[ref.target])
    assert (labels == "malignant").sum() == 212
    assert [n.replace(" error", "_se").replace(" ", "_") for n in ref.feature_names] == t.names[:-1]


def test_penguins_matches_pandas_and_published_counts():
    t = datasets.load("penguins")
    ref = pd.read_csv(DATA.joinpath("penguins.csv"))
    assert (t.n_rows, t.n_cols) == ref.shape == (344, 8)
    for col in t.columns:
        assert col.missing.sum() == ref[col.name].isna().sum(), col.name
    assert int(t["sex"].missing.sum()) == 11
    species = np.array(t["species"].categories)[t["species"].values.astype(int)]
    assert dict(zip(*np.unique(species, return_counts=True))) == {"Adelie": 152, "Chinstrap": 68, "Gentoo": 124}
    np.testing.assert_array_equal(t["body_mass_g"].values, ref["body_mass_g"].to_numpy(dtype=float))


def test_load_errors_and_fresh_copies():
    with pytest.raises(InputError, match="adult, breast_cancer, penguins, wine"):
        datasets.load("iris")
    with pytest.raises(InputError):
        datasets.load(3)  # type: ignore[arg-type]
    a = datasets.load("Wine ")
    a["alcohol"].values[:] = -1.0
    assert (datasets.load("wine")["alcohol"].values > 0).all()


def test_loads_from_a_zipped_package(tmp_path):
    """importlib.resources must find the data when the package is not a plain folder."""
    import synthlearn

    root = os.path.dirname(synthlearn.__file__)
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for folder, _, files in os.walk(root):
            for f in files:
                if f.endswith((".py", ".json", ".csv", ".gz")):
                    full = os.path.join(folder, f)
                    zf.write(full, os.path.join("synthlearn", os.path.relpath(full, root)))
    code = ("import synthlearn, sys; assert synthlearn.__file__.startswith(sys.argv[1]), synthlearn.__file__;"
            "from synthlearn.datasets import load; print(load('wine').n_rows, load('breast_cancer').n_rows)")
    out = subprocess.run([sys.executable, "-c", code, str(archive)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(archive)}, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["178", "569"]


# ----------------------------------------------------------------------------- make_correlated
@pytest.mark.parametrize("rho", [-0.9, -0.3, 0.0, 0.5, 0.95])
def test_make_correlated_has_the_asked_correlation(rho):
    from scipy.stats import pearsonr

    n = 20_000
    t = datasets.make_correlated(n, rho, rng=7)
    assert t.names == ["x", "y"] and [c.kind for c in t.columns] == ["numeric", "numeric"]
    r = pearsonr(t["x"].values, t["y"].values).statistic
    se = (1 - rho**2) / np.sqrt(n)  # large-sample standard error of r
    assert abs(r - rho) < 5 * se + 1e-12
    assert abs(t["y"].values.std() - 1) < 0.05


def test_make_correlated_edges_and_determinism():
    a = datasets.make_correlated(50, 0.4, rng=1)
    b = datasets.make_correlated(50, 0.4, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(a.matrix(), b.matrix())
    assert not np.array_equal(a.matrix(), datasets.make_correlated(50, 0.4, rng=2).matrix())
    one = datasets.make_correlated(10, 1.0, rng=3)
    np.testing.assert_allclose(one["y"].values, one["x"].values)
    minus = datasets.make_correlated(10, -1, rng=3)
    np.testing.assert_allclose(minus["y"].values, -minus["x"].values)
    for bad_n in (1, 0, -5, 2.5, True, "10"):
        with pytest.raises(InputError, match="n must"):
            datasets.make_correlated(bad_n, 0.5)  # type: ignore[arg-type]
    for bad_rho in (1.01, -2, float("nan"), float("inf"), True, "0.5", None):
        with pytest.raises(InputError, match="rho"):
            datasets.make_correlated(10, bad_rho)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        datasets.make_correlated(10, 0.5, rng=-1)
