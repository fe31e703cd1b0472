"""MkDocs hook: wires the site's build steps to events (logic lives in plain modules).

* ``on_config``: which runtime the build uses — ``SYNTHLAB_RUNTIME=local`` (default;
  Pyodide self-hosted under ``/pyodide/``) or ``cdn`` (the pinned public CDN).
* ``on_files``: zips ``pysrc/synthlearn`` into ``assets/synthlab/synthlearn-<hash>.zip``.
* ``on_page_markdown``: renders ```synthlab-demo / ```synthlab-quiz blocks (demoblocks.py).
* ``on_page_markdown`` also renders ```synthlab-exercise blocks (exerciseblocks.py), after
  running each reference solution and starter through their checks natively.
* ``on_files`` also adds the verified exercise editor bundle (tools/editor_dist.py).
* ``on_post_build``: copies the verified Pyodide files into the site (local runtime).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import posixpath
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYSRC = ROOT / "pysrc"
# MkDocs loads this file by path: make its sibling module, the repository's tools and the
# package source (built from the working tree, not from an installed copy) importable.
for path in (str(HERE), str(ROOT), str(PYSRC)):
    if path not in sys.path:
        sys.path.insert(0, path)

import exerciseblocks  # noqa: E402
import precache  # noqa: E402

import demoblocks  # noqa: E402
from tools import bytecode_dist, editor_dist, pyodide_dist  # noqa: E402

log = logging.getLogger("mkdocs.hooks.synthlab")
_state: dict = {}


def package_zip(src: Path = PYSRC / "synthlearn") -> bytes:
    """A reproducible zip of the synthlearn package (sorted entries, fixed timestamps)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(src.rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
                continue
            info = zipfile.ZipInfo(str(Path("synthlearn") / path.relative_to(src)), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    return buf.getvalue()


def on_config(config, **kwargs):
    mode = os.environ.get("SYNTHLAB_RUNTIME", "local")
    if mode not in ("local", "cdn"):
        raise PluginError(f"SYNTHLAB_RUNTIME must be 'local' or 'cdn', not {mode!r}")
    _state.clear()
    _state["mode"] = mode
    # `mkdocs serve` rebuilds in one process: forget synthlearn so edited demos are re-imported
    for name in [m for m in sys.modules if m == "synthlearn" or m.startswith("synthlearn.")]:
        del sys.modules[name]
    extra = config.extra.setdefault("synthlab", {})
    extra["runtime"] = mode
    extra["pyodide_version"] = pyodide_dist.VERSION
    extra["pyodide_url"] = pyodide_dist.CDN_URL if mode == "cdn" else "pyodide/"
    precache.configure(extra)
    return config


def on_files(files, config, **kwargs):
    data = package_zip()
    digest = hashlib.sha256(data).hexdigest()[:12]
    uri = f"assets/synthlab/synthlearn-{digest}.zip"
    files.append(File.generated(config, uri, content=data))
    config.extra["synthlab"]["package_url"] = uri
    _add_editor(files, config)
    _add_bytecode(files, config)
    return files


def _add_bytecode(files, config) -> None:
    """Pre-compiled bytecode, with matplotlib's font list (tools/bytecode_dist.py), for both runtimes.

    Each bundle is tied to one wheel: it is served only if it was compiled from the wheel whose
    hash the site pins, and only as the bytes its manifest hashed. Without the folder (``make pyodide`` makes it) the site works, only
    Python starts slower, so a build without it says so and goes on.
    """
    out = bytecode_dist.DEFAULT_OUT
    if not (out / bytecode_dist.MANIFEST).is_file():
        log.info("No pre-compiled bytecode in %s (run `make pyodide`): Python will compile on start", out)
        return
    manifest = json.loads((out / bytecode_dist.MANIFEST).read_text())
    served = {}
    for name, bundle in manifest["bundles"].items():
        if precache.PACKAGE_SHA256.get(bundle["wheel"]) != bundle["wheel_sha256"]:
            raise PluginError(f"bytecode bundle {bundle['file']} was compiled from another {bundle['wheel']}: "
                              "remove it and run `make pyodide`")
        data = (out / bundle["file"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != bundle["sha256"]:
            raise PluginError(f"{out / bundle['file']} changed since it was made: remove it and run `make pyodide`")
        uri = f"assets/synthlab/pyc/{name}-{bundle['sha256'][:12]}.zip"
        files.append(File.generated(config, uri, content=data))
        served[name] = {"url": uri, "sha256": bundle["sha256"]}
    config.extra["synthlab"]["bytecode"] = {"bundles": served}


def _add_editor(files, config) -> None:
    """The exercise editor, verified against its pinned hash; the page loads it only if needed."""
    try:
        data = editor_dist.verified_bundle()
    except (editor_dist.VerificationError, OSError, subprocess.CalledProcessError) as exc:
        raise PluginError(f"the exercise editor bundle: {exc}") from None
    uri = f"assets/synthlab/vendor/codemirror-{hashlib.sha256(data).hexdigest()[:12]}.mjs"
    files.append(File.generated(config, uri, content=data))
    config.extra["synthlab"]["editor_url"] = uri
    config.extra["synthlab"]["exercises"] = {}


def on_nav(nav, config, files, **kwargs):
    """Resolve each course module's lessons (Markdown paths) to titles and URLs."""
    modules = config.extra["synthlab"].get("modules") or {}
    titles = {page.file.src_uri: page.title for page in nav.pages}
    lessons_by_page = {}
    for key, module in modules.items():
        resolved = []
        for src in module.get("lessons", []):
            file = files.get_file_from_path(src)
            if file is None:  # a warning, so `mkdocs build --strict` fails on it
                log.warning("extra.synthlab.modules.%s: lesson %s does not exist", key, src)
                continue
            lesson_id = Path(src).stem
            resolved.append({"id": lesson_id, "title": titles.get(src) or lesson_id.title(), "url": file.url})
            lessons_by_page[src] = {"module": key, "lesson": lesson_id,
                                    "kind": "checkpoint" if lesson_id == module.get("checkpoint") else "lesson"}
        module["lessons"] = resolved
    _state["lessons_by_page"] = lessons_by_page
    return nav


def _run_demo(spec: dict) -> dict | None:
    func = demoblocks.resolve(spec["function"])
    params = demoblocks.defaults(spec)
    if spec["figure"]:
        params["figure"] = True
    try:
        return func(**params)
    except Exception as exc:  # a demo that fails at its own defaults is a bug: stop the build
        raise PluginError(f"{spec['function']}({params}) failed at build time: {exc!r}") from exc


def on_page_markdown(markdown, page, config, files, **kwargs):
    lesson = _state.get("lessons_by_page", {}).get(page.file.src_uri)
    if lesson:
        markdown += (f'\n\n<div class="sl-lesson-end" data-module="{lesson["module"]}" '
                     f'data-lesson="{lesson["lesson"]}" data-kind="{lesson["kind"]}" aria-hidden="true"></div>\n')
    if "```synthlab-exercise" in markdown:
        try:
            markdown, exercises = exerciseblocks.replace_blocks(markdown, where=page.file.src_uri)
        except exerciseblocks.ExerciseError as exc:
            raise PluginError(str(exc)) from None
        page.meta["synthlab_exercises"] = [e["id"] for e in exercises]
        # per lesson, which exercises it holds (exercise.mjs counts the solved ones)
        config.extra["synthlab"]["exercises"][page.file.src_uri] = {
            "lesson": (lesson or {}).get("lesson"), "module": (lesson or {}).get("module"),
            "ids": [e["id"] for e in exercises]}
    if "```synthlab-" not in markdown:
        return markdown

    def link(target: str) -> str:
        src = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), target))
        found = files.get_file_from_path(src)
        if found is None:
            raise PluginError(f"{page.file.src_uri}: quiz lesson link {target!r} does not exist")
        return get_relative_url(found.url, page.url)

    try:
        text, found = demoblocks.replace_blocks(markdown, _run_demo, where=page.file.src_uri, link=link)
    except demoblocks.BlockError as exc:
        raise PluginError(str(exc)) from None
    page.meta["synthlab_blocks"] = [b["kind"] for b in found]
    return text


def on_post_build(config, **kwargs):
    precache.write_service_worker(Path(config.site_dir), config.extra["synthlab"]["pyodide_url"])
    target = Path(config.site_dir) / "pyodide"
    if _state.get("mode") != "local":
        if target.exists():
            shutil.rmtree(target)
        return
    cache = pyodide_dist.DEFAULT_CACHE
    try:
        ok = pyodide_dist.check_cache(cache)
    except pyodide_dist.VerificationError as exc:
        raise PluginError(f"the Pyodide cache failed verification: {exc}") from None
    if not ok:
        raise PluginError(f"no verified Pyodide copy in {cache}: run `make pyodide` "
                          "(or build with SYNTHLAB_RUNTIME=cdn)")
    target.mkdir(parents=True, exist_ok=True)
    for path in cache.iterdir():
        dest = target / path.name
        if not dest.exists() or dest.stat().st_size != path.stat().st_size or dest.stat().st_mtime < path.stat().st_mtime:
            shutil.copy2(path, dest)
    log.info("Self-hosted Pyodide %s copied to %s", pyodide_dist.VERSION, target)
