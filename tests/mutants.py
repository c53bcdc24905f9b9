"""`make mutants`: break the code on purpose, one named mutation at a time, and check that a test fails.

Each mutation replaces one exact snippet of one file in a throw-away copy of the tracked tree, then runs the tests
that guard that behaviour. A mutation is *caught* when pytest fails; the report names the failing tests. A mutation
that survives, or whose snippet no longer matches the code (the code moved on: update the list), fails the run.
Not part of `make test`: it runs the chosen tests once per mutation.

Usage: `python tests/mutants.py [NAME ...]` (default: every mutation).
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    before: str
    after: str
    tests: tuple[str, ...]


CHARTS = "tests/test_charts.py"
MUTATIONS: list[Mutation] = [
    Mutation(
        "charts-group-services-by-name",
        "app/queries.py",
        """"sel.servicio_id",
                 (("sel.servicio_id", "Servicio ID"),""",
        """"sel.servicio_nombre",
                 (("any_value(sel.servicio_id)", "Servicio ID"),""",
        (f"{CHARTS}::test_gender_by_service_draws_one_bar_per_servicio_id",),
    ),
    Mutation(
        "charts-sankey-without-node-x",
        "app/figures.py",
        """                "x": [SANKEY_X[prefix] for prefix, _ in nodes],\n""",
        "",
        (CHARTS,),
    ),
    Mutation(
        "charts-unsorted",
        "app/figures.py",
        """chosen = parts.sort_values(["_value", "name"], ascending=[False, True], na_position="last").head(limit)""",
        """chosen = parts.head(limit)""",
        (CHARTS,),
    ),
    Mutation(
        "pdf-row-cut-by-page-break-not-closed",
        "etl/pdf.py",
        '{"explicit_horizontal_lines": _closing_rules(page)}',
        "{}",
        ("tests/test_pdf.py::test_pdf_gives_the_rows_of_its_text_export",),
    ),
    Mutation(
        "pdf-repeated-header-kept",
        "etl/pdf.py",
        "cells = cells[1:]  # the header row repeated",
        "cells = cells[0:]  # the header row repeated",
        ("tests/test_pdf.py::test_pdf_gives_the_rows_of_its_text_export",),
    ),
    Mutation(
        "pdf-paragraphs-run-together",
        "etl/pdf.py",
        "top - bottom > PARAGRAPH_GAP * (line_bottom - top)",
        "False",
        ("tests/test_pdf.py::test_synthetic_fichas_in_every_export_variant_give_the_same_rows",),
    ),
    Mutation(
        "pdf-lone-number-in-the-body-dropped",
        "etl/pdf.py",
        "return in_margin and _PAGE_NUMBER",
        "return _PAGE_NUMBER",
        ("tests/test_pdf.py::test_page_numbers_at_the_foot_are_not_read_as_text",),
    ),
    Mutation(
        "pdf-scanned-read-as-blank",
        "etl/pdf.py",
        "NO_TEXT if writer.images else BLANK",
        "BLANK",
        ("tests/test_pdf.py::test_unreadable_pdf_is_rejected_with_its_reason_and_the_good_one_loads",),
    ),
]

# Evolución and the filters by identity (issue 9).
MUTATIONS += [
    Mutation(
        "evolucion-pairs-by-number",
        "app/compare.py",
        "(similarity(a.texto, b.texto), -abs((a.numero or 0) - (b.numero or 0)), i, j)",
        "(float(a.numero == b.numero), 0, i, j)",
        ("tests/test_evolucion.py",),
    ),
    Mutation(
        "evolucion-ignores-flags",
        "app/compare.py",
        "if same_text and before.detalle == after.detalle:",
        "if same_text:",
        ("tests/test_evolucion.py",),
    ),
    Mutation(
        "evolucion-no-threshold",
        "app/compare.py",
        "        if score < threshold:\n            break\n",
        "",
        ("tests/test_evolucion.py",),
    ),
    Mutation(
        "evolucion-keeps-years-across-services",
        "pages/evolucion.py",
        "if state.get(_CHOSEN_FOR) != servicio:",
        "if False:",
        ("tests/test_evolucion.py",),
    ),
    Mutation(
        "filter-ministerio-as-written",
        "app/filters.py",
        'Dimension("ministerio", "Ministerio", "ministerio_nombre")',
        'Dimension("ministerio", "Ministerio", "ministerio")',
        ("tests/test_evolucion.py",),
    ),
    Mutation(
        "filter-servicio-by-name",
        "app/filters.py",
        'Dimension("servicio", "Servicio", "servicio_id", option_label=_SERVICIO_LABEL, on_demand=True)',
        'Dimension("servicio", "Servicio", "servicio_nombre", option_label=_SERVICIO_LABEL, on_demand=True)',
        ("tests/test_evolucion.py",),
    ),
]

# Issue 8.1 and the dashboard side of issue 11.
PROBLEMS = "tests/test_pages_on_problem_fichas.py"
DATABASE_CHECK = "tests/test_database_check.py"
MUTATIONS += [
    # Calidad: the search and the level filter on a database that has problems to find.
    Mutation(
        "calidad-level-filter-always-true",
        "app/queries.py",
        "and list_contains($niveles, p.nivel)",
        "and true",
        (PROBLEMS, "-k", "level"),
    ),
    Mutation(
        "calidad-text-filter-always-true",
        "app/queries.py",
        "and ($texto = '' or contains(lower(p.mensaje || ' ' || p.archivo), lower($texto)))",
        "and true",
        (PROBLEMS, "-k", "text"),
    ),
    Mutation(
        "calidad-warnings-ignore-the-sidebar-filter",
        "app/queries.py",
        "(p.ficha_id is null or p.ficha_id in (select ficha_id from sel) or p.nivel = 'error')",
        "true",
        (PROBLEMS, "-k", "sidebar_filter"),
    ),
    # Ficha text that looks like HTML, checked on the figures the pages send.
    Mutation(
        "figures-escape-returns-its-input",
        "app/figures.py",
        "return html.escape(str(text), quote=False)",
        "return str(text)",
        (PROBLEMS, "-k", "escaped"),
    ),
    # A rebuilt database is read afresh: the snapshot (every cache key) must change with the file.
    Mutation(
        "snapshot-ignores-the-file-version",
        "app/db.py",
        "current = Snapshot(str(path.resolve()), stat.st_ino, stat.st_mtime_ns)",
        "current = Snapshot(str(path.resolve()), 0, 0)",
        ("tests/test_live_rebuild.py",),
    ),
    # The sidebar: options narrow to the other filters; reset clears them.
    Mutation(
        "filter-options-do-not-narrow",
        "app/filters.py",
        "mask &= fichas[name].isin(values)",
        "pass",
        ("tests/test_app.py", "-k", "choosing_a_ministerio"),
    ),
    Mutation(
        "reset-keeps-the-filters",
        "app/ui.py",
        "st.session_state[name] = []",
        "pass",
        ("tests/test_app.py", "-k", "reset"),
    ),
    # The database check: version, columns, every block, damage found mid-page, one handler for every path.
    # Page controls, caught by the charts' own tests: the grouping level and the list behind a bar.
    Mutation(
        "coverage-ignores-the-level",
        "pages/cobertura.py",
        "grouped = queries.coverage_by(snap, filters, grouping.level)",
        'grouped = queries.coverage_by(snap, filters, "ministerio")',
        ("tests/test_charts.py", "-k", "coverage_is_a_sorted_heatmap"),
    ),
    Mutation(
        "list-behind-a-bar-ignores-the-bar",
        "app/queries.py",
        "where cast($grupo as varchar) is null or {grouping.identity} = $grupo",
        "where true",
        ("tests/test_charts.py", "-k", "gender_by_service"),
    ),
    Mutation(
        "schema-version-not-checked",
        "app/integrity.py",
        "if version != loader.SCHEMA_VERSION:",
        "if False:",
        (DATABASE_CHECK, "-k", "version"),
    ),
    Mutation(
        "schema-columns-not-checked",
        "app/integrity.py",
        "if missing := _missing(found, expected_columns()):",
        "if missing := []:",
        (DATABASE_CHECK, "-k", "falta or tipo"),
    ),
    Mutation(
        "blocks-not-read-before-drawing",
        "app/integrity.py",
        "        if fault is None:\n            _read_every_value(con)\n",
        "",
        (DATABASE_CHECK, "-k", "bloque"),
    ),
    Mutation(
        "damage-midpage-blamed-on-the-filter",
        "app/db.py",
        "if fault := integrity.inspect(Path(snap.path)):",
        "if fault := None:",
        (DATABASE_CHECK, "-k", "midpage"),
    ),
    Mutation(
        "damage-midpage-leaves-the-page-drawn",
        "dashboard.py",
        "        body.empty()  # nothing the page drew before the database failed stays on screen\n",
        "",
        (DATABASE_CHECK, "-k", "midpage"),
    ),
    Mutation(
        "database-check-outside-the-handler",
        "dashboard.py",
        "    try:\n        snap = db.snapshot()\n        ui.set_context(snap, ui.sidebar_filters(snap))\n",
        "    snap = db.snapshot()\n    ui.set_context(snap, ui.sidebar_filters(snap))\n    try:\n",
        (DATABASE_CHECK, "-k", "truncada"),
    ),
    # URL notices: invisible characters dropped, copies counted once.
    Mutation(
        "url-notice-keeps-bidi-controls",
        "app/filters.py",
        'visible = "".join(char for char in value if unicodedata.category(char) != "Cf")',
        "visible = value",
        ("tests/test_url_notices.py",),
    ),
    Mutation(
        "url-values-counted-with-copies",
        "app/filters.py",
        'distinct = list(dict.fromkeys(value for value in params.get(name, []) if value != ""))',
        'distinct = [value for value in params.get(name, []) if value != ""]',
        ("tests/test_url_notices.py",),
    ),
]

# Speed (issue 13): shared cached frames; several servers on one database see its rebuild.
MUTATIONS += [
    Mutation(
        "shared-frame-handed-out-itself",
        "app/queries.py",
        "Result(_frame(snap, sql, params).copy(deep=False), sql.strip(), params)",
        "Result(_frame(snap, sql, params), sql.strip(), params)",
        ("tests/test_shared_frames.py",),
    ),
    Mutation(
        "servers-keep-the-swapped-out-database",
        "app/db.py",
        "Snapshot(str(path.resolve()), stat.st_ino, stat.st_mtime_ns)",
        "Snapshot(str(path.resolve()), 0, 0)",
        ("tests/browser/test_two_servers.py",),
    ),
    Mutation(
        "servicio-options-drawn-on-every-view",
        "app/filters.py",
        "option_label=_SERVICIO_LABEL, on_demand=True)",
        "option_label=_SERVICIO_LABEL)",
        ("tests/browser/test_browser.py", "-k", "popover"),
    ),
    Mutation(
        "page-address-guessed-by-the-browser",
        "app/page_hint.py",
        '"body": html.replace(_HEAD, _HEAD + page_hint, 1)}',
        '"body": html}',
        ("tests/browser/test_page_address.py", "-k", "asks_only"),
    ),
    Mutation(
        "page-address-hint-keeps-the-slug",
        "app/page_hint.py",
        "path.slice(0, -page.length)",
        "path",
        ("tests/browser/test_page_address.py", "-k", "asks_only"),
    ),
    Mutation(
        "page-address-hint-ignores-the-base-path",
        "app/page_hint.py",
        'self.hints = {f"{base}/{slug}": hint(slug) for slug in slugs}',
        'self.hints = {f"/{slug}": hint(slug) for slug in slugs}',
        ("tests/test_page_hint.py", "tests/browser/test_page_address.py", "-k", "base"),
    ),
    Mutation(
        "page-address-html-length-unchanged",
        "app/page_hint.py",
        '    headers["content-length"] = str(length + hint_length)\n',
        "",
        ("tests/browser/test_page_address.py", "-k", "asks_only"),
    ),
    Mutation(
        "page-address-hint-breaks-the-lifespan",
        "app/page_hint.py",
        'page_hint = self.hints.get(scope["path"]) if scope["type"] == "http" else None',
        'page_hint = self.hints.get(scope["path"])',
        ("tests/test_page_hint.py",),
    ),
    Mutation(
        "page-address-hint-spliced-into-a-range",
        "app/page_hint.py",
        'b"if-modified-since", b"range", b"if-range"}',
        'b"if-modified-since"}',
        ("tests/test_page_hint.py",),
    ),
]


# The ETL's promises: the contract's docs, the identity of ministries, safe targets, duplicates, incremental builds.
MUTATIONS += [
    Mutation(
        "schema-docs-column-documented-under-another-table",
        "docs/esquema.md",
        "| `linea` | INTEGER | línea del producto que declara el vínculo |\n",
        "",
        ("tests/test_schema_docs.py",),
    ),
    Mutation(
        "names-ignore-the-reference",
        "etl/loader.py",
        "coalesce(r.ministerio, e.oficial, m.nombre) as nombre",
        "m.nombre as nombre",
        ("tests/test_names.py",),
    ),
    Mutation(
        "names-fallback-not-made-official",
        "etl/loader.py",
        "coalesce(r.ministerio, e.oficial, m.nombre) as nombre",
        "coalesce(r.ministerio, m.nombre) as nombre",
        ("tests/test_names.py",),
    ),
    Mutation(
        "db-target-not-ours-overwritten",
        "etl/build.py",
        "    if replace or not os.path.lexists(db_path):\n        return\n",
        "    return\n",
        ("tests/test_safe_target.py",),
    ),
    Mutation(
        "duplicates-by-working-directory",
        "etl/sources.py",
        "    return os.path.abspath(path)\n",
        "    return os.path.relpath(path)\n",
        ("tests/test_safe_target.py", "tests/test_duplicates.py"),
    ),
    Mutation(
        "header-check-counts-colons",
        "etl/tables.py",
        'b" \\t\\n\\r\\x0b\\x0c\\x1c\\x1d\\x1e\\x1f:"',
        'b" \\t\\n\\r\\x0b\\x0c\\x1c\\x1d\\x1e\\x1f"',
        ("tests/test_variants.py",),
    ),
    Mutation(
        "table-cells-never-cleaned",
        "etl/parser.py",
        "values = cells if plain else list(map(clean, cells))",
        "values = cells",
        ("tests/test_names.py", "-k", "stored_clean"),
    ),
    Mutation(
        "table-check-trusts-decomposed-cells",
        "etl/text.py",
        'return joined.isprintable() and unicodedata.is_normalized("NFC", joined)',
        "return joined.isprintable()",
        ("tests/test_names.py", "-k", "stored_clean"),
    ),
    Mutation(
        "table-check-trusts-latin1-unprintables",
        "etl/text.py",
        "return len(latin1.translate(None, _UNPRINTABLE_LATIN1)) == len(latin1)",
        "return True",
        ("tests/test_names.py", "-k", "stored_clean"),
    ),
    Mutation(
        "wrapped-cell-pieces-run-together",
        "etl/tables.py",
        'open_cells[-1] = f"{open_cells[-1]} {piece}" if open_cells[-1] else piece',
        'open_cells[-1] = f"{open_cells[-1]}{piece}" if open_cells[-1] else piece',
        ("tests/test_variants.py",),
    ),
    Mutation(
        "header-check-skips-pipe-rows",
        "etl/tables.py",
        'stripped[:1] not in "nN#|"',
        'stripped[:1] not in "nN#"',
        ("tests/test_variants.py",),
    ),
    Mutation(
        "extra-empty-cells-warned",
        "etl/parser.py",
        "if any(values[width:]):",
        "if len(values) > width:",
        ("tests/test_checks.py", "-k", "wider_or_narrower"),
    ),
    Mutation(
        "control-characters-never-counted",
        "etl/text.py",
        "has_control = len(raw.translate(None, _CONTROL_BYTES)) < len(raw)",
        "has_control = False",
        ("tests/test_checks.py", "-k", "not_a_ficha"),
    ),
    Mutation(
        "parser-caches-keep-long-texts",
        "etl/text.py",
        "        if len(text) <= SHORT_TEXT:\n            if len(self)",
        "        if True:\n            if len(self)",
        ("tests/test_hostile_files.py", "-k", "short_texts"),
    ),
    Mutation(
        "parser-caches-grow-without-bound",
        "etl/text.py",
        "            if len(self) >= self.maxsize:",
        "            if False:",
        ("tests/test_hostile_files.py", "-k", "caches_stay_bounded"),
    ),
    Mutation(
        "incremental-reuses-changed-files",
        "etl/build.py",
        "return record if record is not None and record.sha256 == item.sha256 else None",
        "return record",
        ("tests/test_incremental.py",),
    ),
    Mutation(
        "parsers-outlive-a-killed-build",
        "etl/build.py",
        "ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)",
        "pass",
        ("tests/test_killed_builds.py",),
    ),
    # Rows as text (etl/row_text.py): values arrive as parsed, and a value that would break the format is refused.
    Mutation(
        "row-text-line-breaks-not-restored",
        "etl/loader.py",
        "if _LINE_BREAK in text:",
        "if False:",
        ("tests/test_row_text.py",),
    ),
    Mutation(
        "row-text-earlier-batches-overwritten",
        "etl/loader.py",
        "if table not in self._files:",
        "if True:  # reopened, so emptied, for every batch",
        ("tests/test_row_text.py",),
    ),
    Mutation(
        "row-text-null-written-as-text",
        "etl/row_text.py",
        "NULL if value is None else value for value in values",
        "value for value in values",
        ("tests/test_row_text.py",),
    ),
    Mutation(
        "row-text-separator-in-a-value-accepted",
        "etl/row_text.py",
        "if _separators(data) != written:",
        "if False:",
        ("tests/test_row_text.py",),
    ),
    Mutation(
        "row-text-separator-beside-a-line-break-accepted",
        "etl/row_text.py",
        "if not line_breaks or _separators(data) != written + line_breaks:",
        "if not line_breaks:",
        ("tests/test_row_text.py", "-k", "refused"),
    ),
]


# Pages near the floor (issue 13): the ficha pickers, long tables as a page of rows, figures shared across views.
PICKER = "tests/test_ficha_picker.py"
TABLE_PAGE = "tests/test_table_page.py"
MUTATIONS += [
    Mutation(
        "picker-ignores-the-sidebar-filter",
        "app/ficha_picker.py",
        "kept = index[matching(index, filters)]",
        "kept = index",
        (PICKER, "-k", "sidebar_filter"),
    ),
    Mutation(
        "table-page-sorts-only-the-first-page",
        "app/table_page.py",
        "kept = frame[contains(frame, text)] if text.strip() else frame",
        "kept = frame[contains(frame, text)] if text.strip() else frame.head(PAGE_ROWS)",
        (TABLE_PAGE,),
    ),
    Mutation(
        "table-page-search-minds-case",
        "app/table_page.py",
        'array = pc.utf8_lower(pa.array(texts.astype("str"), from_pandas=True))',
        'array = pa.array(texts.astype("str"), from_pandas=True)',
        (TABLE_PAGE,),
    ),
    Mutation(
        "figure-shared-whatever-its-arguments",
        "app/charts.py",
        "name: str, args: tuple, _build, _frame) -> go.Figure:",
        "name: str, _args: tuple, _build, _frame) -> go.Figure:\n    args = _args",
        (f"{CHARTS}::test_inicio_and_clients_sorted_by_value_with_the_rest_named",),
    ),
]


def _tracked_tree(target: Path) -> None:
    """Copy the files git tracks (and untracked, not ignored ones) into `target`."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def run(mutation: Mutation, tree: Path) -> tuple[str, str]:
    """('caught' | 'SURVIVED' | 'DOES NOT APPLY', detail) for one mutation applied to `tree`."""
    file = tree / mutation.path
    original = file.read_text(encoding="utf-8")
    if original.count(mutation.before) != 1:
        return "DOES NOT APPLY", f"the snippet occurs {original.count(mutation.before)} times in {mutation.path}"
    file.write_text(original.replace(mutation.before, mutation.after), encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-rf", "-p", "no:cacheprovider", *mutation.tests],
            cwd=tree, capture_output=True, text=True,
        )  # fmt: skip
    finally:
        file.write_text(original, encoding="utf-8")
    failed = re.findall(r"^FAILED (\S+)", result.stdout, re.MULTILINE)
    if result.returncode == 0:
        return "SURVIVED", "every test passed"
    if failed:
        return "caught", ", ".join(failed)
    return "caught", f"pytest exit {result.returncode}: {result.stdout.strip().splitlines()[-1:]}"


# Downloads: built by the callables the buttons hold, read back, inert.
MUTATIONS += [
    Mutation(
        "workbook-leaves-out-closed-sections",
        "app/ui.py",
        "            self.tables[title] = lambda: (result() if callable(result) else result).frame\n",
        "",
        ("tests/test_page_downloads.py",),
    ),
    Mutation(
        "page workbook builder raises",
        "app/downloads.py",
        'return xlsx_bytes({"Filtro": cover(page, filter_text, files, when), **tables})',
        'raise RuntimeError("mutant")',
        ("tests/test_page_downloads.py", "tests/test_downloads.py"),
    ),
    Mutation(
        "CSV formula escaping removed",
        "app/downloads.py",
        """return "'" + value if value.startswith(_CSV_TRIGGERS) else value""",
        "return value",
        ("tests/test_downloads.py", "tests/test_page_downloads.py"),
    ),
    Mutation(
        "Excel number format removed",
        "app/downloads.py",
        "                cell.number_format = number_format",
        "                pass",
        ("tests/test_downloads.py",),
    ),
    Mutation(
        "Excel text written as formulas",
        "app/downloads.py",
        'cell.data_type = "s"  # never a formula nor an error code, whatever the text says',
        "pass",
        ("tests/test_downloads.py", "tests/test_page_downloads.py"),
    ),
    Mutation(
        "long tables in the browser's locale",
        "app/ui.py",
        'config["format"] = "%\'.,d" if measure.integer else "%\'.,.0f"',
        'config["format"] = "localized"',
        ("tests/test_tables.py",),
    ),
    Mutation(
        "table-numbers-measured-by-their-raw-digits",
        "app/ui.py",
        'return len(f"{largest:,.{decimals}f}") + int(bool((values < 0).any()))',
        "return int(values.astype(str).str.len().max())",
        ("tests/test_tables.py",),
    ),
    Mutation(
        "coverage-counts-summed-as-floats",
        "app/queries.py",
        'cast(sum(c.om) as bigint) as "Objetivos ministeriales"',
        'sum(c.om) as "Objetivos ministeriales"',
        ("tests/test_tables.py", "-k", "every_table"),
    ),
    Mutation(
        "prose-beside-the-identity-it-implies",
        "app/ui.py",
        "        leave(*[name for name in optional if name in order])",
        "        pass",
        ("tests/test_tables.py",),
    ),
    Mutation(
        "evolucion-shows-the-whole-comparison",
        "pages/evolucion.py",
        "screen=compare.on_screen(changes) if drawn else None,",
        "screen=None,",
        ("tests/test_evolucion.py", "-k", "short_table"),
    ),
    Mutation(
        "table-wider-than-the-screen-keeps-every-count",
        "app/ui.py",
        "    for unit in [[name] for name in optional] + implied:",
        "    for unit in [[name] for name in optional]:",
        ("tests/test_tables.py",),
    ),
]


# The benchmark's comparison with an earlier commit (bench/antes.py): the margin that decides «no más lenta».
MUTATIONS += [
    Mutation(
        "antes-margin-uncapped",
        "bench/antes.py",
        "return min(MAX_MARGIN, self.p50_wanted)",
        "return self.p50_wanted",
        ("tests/test_bench_antes.py",),
    ),
    Mutation(
        "antes-cpu-noise-below-the-clock",
        "bench/antes.py",
        "max(spread(bare.cpu), resolution)",
        "spread(bare.cpu)",
        ("tests/test_bench_antes.py",),
    ),
    Mutation(
        "antes-verdict-ignores-cpu",
        "bench/antes.py",
        """            ("CPU", now.cpu_per_view / before.cpu_per_view, noise.cpu),
""",
        "",
        ("tests/test_bench_antes.py",),
    ),
]


# Sections: one lazy tab drawn at a time, the open one in the URL, a grouping that follows the reader.
MUTATIONS += [
    Mutation(
        "closed-sections-drawn-too",
        "app/ui.py",
        "self._drawing = bool(tab.open)",
        "self._drawing = True",
        ("tests/test_app.py", "-k", "link_opens"),
    ),
    Mutation(
        "open-section-not-in-the-url",
        "app/ui.py",
        'key=f"{self.slug}_seccion", bind="query-params"',
        'key=f"{self.slug}_seccion", on_change="rerun"',
        ("tests/test_app.py", "-k", "link_opens"),
    ),
    Mutation(
        "grouping-forgotten-between-sections",
        "app/charts.py",
        "st.session_state.get(control_keys(key)[0]) or levels[0]",
        "levels[0]",
        (f"{CHARTS}::test_gender_by_service_draws_one_bar_per_servicio_id",),
    ),
    Mutation(
        "closed-section-forgets-choices",
        "app/ui.py",
        "        if not self._drawing:\n            _keep(keep)",
        "        if False:\n            _keep(keep)",
        (
            "tests/test_evolucion.py::test_the_chosen_comparison_survives_a_visit_to_the_other_section",
            "tests/test_ficha_picker.py::test_cobertura_keeps_the_chosen_ficha_while_another_section_is_open",
        ),
    ),
    Mutation(
        "closed-table-forgets-its-search",
        "app/ui.py",
        '            _keep(table_page.widget_keys(f"{key}_tabla"))',
        "            pass",
        ("tests/test_table_page.py::test_choices_in_a_section_survive_a_visit_to_another",),
    ),
    Mutation(
        "grouping-forgotten-in-a-section-without-it",
        "pages/genero_territorial.py",
        "keep=(order_key,) if products.open else (grouping_key, order_key)",
        "keep=(order_key,)",
        ("tests/test_table_page.py::test_the_grouping_survives_a_visit_to_a_section_that_does_not_draw_it",),
    ),
]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python tests/mutants.py", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="mutations to run (default: all)")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.names or m.name in args.names]
    unknown = set(args.names) - {m.name for m in MUTATIONS}
    if unknown:
        parser.error(f"unknown mutations: {', '.join(sorted(unknown))}")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="mutants-") as folder:
        tree = Path(folder)
        _tracked_tree(tree)
        for mutation in chosen:
            start = time.perf_counter()
            verdict, detail = run(mutation, tree)
            failures += verdict != "caught"
            print(f"{verdict:>14}  {mutation.name}  ({time.perf_counter() - start:.0f} s)  {detail}", flush=True)
    print(f"{len(chosen) - failures} of {len(chosen)} mutations caught")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
