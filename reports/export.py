"""A built report as JSON, CSV (for Excel) or PDF.

CSV: UTF-8 with a byte order mark (Excel reads Cyrillic only with it),
";" by default with decimal commas (Russian-locale Excel), or "," with
decimal points; Russian headers unless English is asked for; dates are the
centre's local dates. PDF: one A4 landscape document with the title, period,
filters, every table (paginated) and every chart, its text in DejaVu Sans
from matplotlib's own data, embedded, so Cyrillic needs no system font.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable

import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from reports import charts  # noqa: F401  (sets the Agg backend and the font)
from reports.base import HEADERS, NO_SUBJECT, WEEKDAYS, Report, word

logger = logging.getLogger(__name__)

SEPARATORS = (";", ",")
FORMATS = ("json", "csv", "pdf")
A4_LANDSCAPE = (11.69, 8.27)
ROWS_PER_PAGE = 28
# A per-client table of a big centre runs to thousands of rows: the PDF shows
# the first ones and says where the rest is.
PDF_MAX_ROWS = 280

Progress = Callable[[float], None]


def report_json(report: Report) -> dict[str, object]:
    """The report as plain JSON values; dates ISO, column names as codes."""
    tables = {}
    for name, table in report.tables.items():
        plain = table.copy()
        for column in ("week", "day"):
            if column in plain:
                plain[column] = [d.isoformat() for d in plain[column]]
        tables[name] = plain.to_dict(orient="records")
    return {
        "report": report.name,
        "title": report.title[0],
        "period": {
            "from": report.query.start.isoformat(),
            "to": report.query.end.isoformat(),
            "timezone": report.query.tz.key,
        },
        "filters": {
            "teacher_id": report.query.teacher_id,
            "subject_id": report.query.subject_id,
            **report.filters,
        },
        "tables": tables,
    }


def display_table(report: Report, name: str, lang: str = "ru") -> pd.DataFrame:
    """Table `name` as people read it: local dates, weekday names, headers."""
    table = report.tables[name].copy()
    for column in ("week", "day"):
        if column in table:
            table[column] = [f"{d:%d.%m.%Y}" for d in table[column]]
    if "subject" in table and lang == "en":
        table["subject"] = table["subject"].replace(NO_SUBJECT[0], NO_SUBJECT[1])
    if "weekday" in table:
        table["weekday"] = [word(WEEKDAYS[int(d) - 1], lang) for d in table["weekday"]]
    return table.rename(columns={c: word(HEADERS[c], lang) for c in table.columns})


def report_csv(report: Report, table: str, sep: str = ";", lang: str = "ru") -> bytes:
    """One table of the report as CSV bytes with a BOM.

    :raise ValueError: unknown separator or table.
    """
    if sep not in SEPARATORS:
        raise ValueError(f"separator must be one of {SEPARATORS}, got {sep!r}")
    if table not in report.tables:
        raise ValueError(f"table must be one of {list(report.tables)}, got {table!r}")
    frame = display_table(report, table, lang)
    text = frame.to_csv(
        sep=sep,
        index=False,
        lineterminator="\r\n",
        decimal="," if sep == ";" else ".",
    )
    logger.info(
        "report csv built report=%s table=%s rows=%s", report.name, table, len(frame)
    )
    return ("\ufeff" + text).encode("utf-8")


def report_pdf(
    report: Report, lang: str = "ru", progress: Progress | None = None
) -> bytes:
    """The whole report as a PDF document; `progress` hears 0..1 per page."""
    pages = list(_pages(report, lang))
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": word(report.title, lang)}) as pdf:
        for number, make_page in enumerate(pages, start=1):
            figure = make_page()
            pdf.savefig(figure)
            if progress:
                progress(number / len(pages))
    logger.info("report pdf built report=%s pages=%s", report.name, len(pages))
    return buffer.getvalue()


def _pages(report: Report, lang: str):
    """Builders of the PDF's pages, in order: cover, tables, charts."""
    yield lambda: _cover(report, lang)
    for name in report.tables:
        if name == "total":
            continue
        frame = display_table(report, name, lang)
        title = word(report.table_titles[name], lang)
        shown = frame.iloc[:PDF_MAX_ROWS]
        chunks = range(0, max(len(shown), 1), ROWS_PER_PAGE)
        for start in chunks:
            chunk = shown.iloc[start : start + ROWS_PER_PAGE]
            note = ""
            if len(frame) > PDF_MAX_ROWS and start + ROWS_PER_PAGE >= len(shown):
                note = word(
                    (
                        f"Показаны первые {PDF_MAX_ROWS} строк из {len(frame)}; "
                        "полная таблица — в CSV.",
                        f"First {PDF_MAX_ROWS} rows of {len(frame)}; "
                        "the full table is in the CSV.",
                    ),
                    lang,
                )
            yield lambda t=title, c=chunk, n=note: _table_page(t, c, n, lang)
    for chart in report.charts:
        yield lambda c=chart: _chart_page(c(lang))


def _cover(report: Report, lang: str) -> Figure:
    figure = Figure(figsize=A4_LANDSCAPE)
    figure.text(0.05, 0.92, word(report.title, lang), fontsize=22, weight="bold")
    lines = [
        f"{word(('Период', 'Period'), lang)}: {report.period_text(lang)}",
        f"{word(('Отбор', 'Filters'), lang)}: {report.filters_text(lang)}",
        f"{word(('Составлен', 'Built'), lang)}: "
        f"{dt.datetime.now(report.query.tz):%d.%m.%Y %H:%M %Z}",
    ]
    for number, line in enumerate(lines):
        figure.text(0.05, 0.85 - number * 0.04, line, fontsize=12)
    if "total" in report.tables:
        title = word(report.table_titles["total"], lang)
        _draw_table(figure, display_table(report, "total", lang), title, 0.66, lang)
    return figure


def _table_page(title: str, frame: pd.DataFrame, note: str, lang: str) -> Figure:
    figure = Figure(figsize=A4_LANDSCAPE)
    _draw_table(figure, frame, title, 0.93, lang)
    if note:
        figure.text(0.05, 0.03, note, fontsize=9, style="italic")
    return figure


def _draw_table(
    figure: Figure, frame: pd.DataFrame, title: str, top: float, lang: str
) -> None:
    """`frame` as a table under `title`, from `top` (figure fraction) down."""
    figure.text(0.05, top, title, fontsize=14, weight="bold")
    height = min(top - 0.08, 0.03 * (len(frame) + 1))
    axes = figure.add_axes((0.05, top - 0.02 - height, 0.9, height))
    axes.set_axis_off()
    if frame.empty:
        axes.text(0, 0.5, word(("нет данных", "no data"), lang), fontsize=10)
        return
    cells = [[_cell(value) for value in row] for row in frame.itertuples(index=False)]
    table = axes.table(
        cellText=cells, colLabels=list(frame.columns), loc="upper left", cellLoc="left"
    )
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.auto_set_column_width(list(range(len(frame.columns))))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def _chart_page(figure: Figure) -> Figure:
    figure.set_size_inches(*A4_LANDSCAPE)
    return figure
