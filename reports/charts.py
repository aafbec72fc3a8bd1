"""The reports' charts, drawn by matplotlib on the server.

Figures are built without pyplot (no global state, safe in threads) and use
DejaVu Sans, which ships inside matplotlib and covers Cyrillic, so nothing is
read from the system or the internet.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure

from reports.base import HEADERS, WEEKDAYS, word

matplotlib.use("Agg")
FONT = {"font.family": "DejaVu Sans", "pdf.fonttype": 42, "svg.fonttype": "none"}
matplotlib.rcParams.update(FONT)

COLOURS = ("#2e7d32", "#c62828", "#1565c0", "#ef6c00", "#9e9e9e")
SIZE = (8.0, 4.5)


def _figure(title: str) -> tuple[Figure, object]:
    figure = Figure(figsize=SIZE, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title)
    return figure, axes


def _empty(axes: object, lang: str) -> None:
    axes.text(0.5, 0.5, word(("нет данных", "no data"), lang), ha="center")
    axes.set_axis_off()


def _date_axis(figure: Figure, axes: object, dates: pd.Series) -> None:
    """Local dates as dd.mm; one tick per point when there are few."""
    if len(dates) <= 16:
        axes.set_xticks(list(dates))
    else:
        axes.xaxis.set_major_locator(AutoDateLocator())
    axes.xaxis.set_major_formatter(DateFormatter("%d.%m"))
    figure.autofmt_xdate()


def utilisation_by_teacher(table: pd.DataFrame, lang: str) -> Figure:
    """Horizontal bars: each teacher's utilisation in percent."""
    figure, axes = _figure(word(("Загрузка преподавателей, %", "Utilisation, %"), lang))
    if table.empty:
        _empty(axes, lang)
        return figure
    shown = table.iloc[::-1]
    axes.barh(shown["teacher"], shown["utilisation_pct"], color=COLOURS[2])
    axes.set_xlim(0, 100)
    axes.tick_params(axis="y", labelsize=7 if len(shown) > 15 else 9)
    return figure


def weekly_hours(table: pd.DataFrame, lang: str) -> Figure:
    """Lines: hours offered, booked and attended per week."""
    figure, axes = _figure(word(("Часы по неделям", "Hours per week"), lang))
    if table.empty:
        _empty(axes, lang)
        return figure
    weeks = pd.to_datetime(table["week"])
    for column, colour in zip(
        ("offered_hours", "booked_hours", "attended_hours"), COLOURS[2::-1], strict=True
    ):
        axes.plot(weeks, table[column], marker="o", color=colour)
        axes.lines[-1].set_label(word(HEADERS[column], lang))
    axes.legend()
    axes.set_ylim(bottom=0)
    _date_axis(figure, axes, weeks)
    return figure


def outcomes_by_teacher(table: pd.DataFrame, lang: str) -> Figure:
    """Stacked bars per teacher: attended, no-show, cancelled late / in time."""
    figure, axes = _figure(word(("Исходы записей", "Booking outcomes"), lang))
    if table.empty:
        _empty(axes, lang)
        return figure
    shown = table.iloc[::-1]
    left = np.zeros(len(shown))
    parts = ("attended", "no_show", "cancelled_late", "cancelled_in_time", "upcoming")
    for column, colour in zip(parts, COLOURS, strict=True):
        values = shown[column].to_numpy(dtype=float)
        axes.barh(
            shown["teacher"],
            values,
            left=left,
            color=colour,
            label=word(HEADERS[column], lang),
        )
        left += values
    axes.legend(fontsize=7)
    axes.tick_params(axis="y", labelsize=7 if len(shown) > 15 else 9)
    return figure


def weekly_no_show_rate(table: pd.DataFrame, lang: str) -> Figure:
    """A line: the share of no-shows among marked lessons, per week."""
    figure, axes = _figure(
        word(("Неявки по неделям, %", "No-show rate per week, %"), lang)
    )
    if table.empty:
        _empty(axes, lang)
        return figure
    weeks = pd.to_datetime(table["week"])
    axes.plot(weeks, table["no_show_rate_pct"], marker="o")
    axes.set_ylim(bottom=0)
    _date_axis(figure, axes, weeks)
    return figure


def bookings_per_day(table: pd.DataFrame, lang: str) -> Figure:
    """Bars: active bookings per local day."""
    figure, axes = _figure(word(("Записи по дням", "Bookings per day"), lang))
    if table.empty or table["bookings"].sum() == 0:
        _empty(axes, lang)
        return figure
    days = pd.to_datetime(table["day"])
    axes.bar(days, table["bookings"], color=COLOURS[2])
    _date_axis(figure, axes, days)
    return figure


def bookings_per_subject(table: pd.DataFrame, lang: str) -> Figure:
    """Horizontal bars: active bookings per subject."""
    figure, axes = _figure(word(("Записи по предметам", "Bookings per subject"), lang))
    if table.empty:
        _empty(axes, lang)
        return figure
    shown = table.iloc[::-1]
    axes.barh(shown["subject"], shown["bookings"], color=COLOURS[0])
    return figure


def weekday_hour_heatmap(table: pd.DataFrame, lang: str) -> Figure:
    """A weekday × hour grid coloured by the number of active bookings."""
    figure, axes = _figure(word(("Загруженные часы", "Busiest hours"), lang))
    if table.empty:
        _empty(axes, lang)
        return figure
    grid = np.zeros((7, 24))
    for weekday, hour, count in table[["weekday", "hour", "bookings"]].itertuples(
        index=False
    ):
        grid[int(weekday) - 1, int(hour)] = count
    hours = np.flatnonzero(grid.sum(axis=0))
    first, last = int(hours.min()), int(hours.max())
    image = axes.imshow(grid[:, first : last + 1], aspect="auto", cmap="YlOrRd")
    axes.set_yticks(range(7), [word(day, lang) for day in WEEKDAYS])
    axes.set_xticks(range(last - first + 1), [f"{h}" for h in range(first, last + 1)])
    axes.set_xlabel(word(("час", "hour"), lang))
    figure.colorbar(image, ax=axes)
    return figure


def render(figure: Figure, fmt: str = "png") -> bytes:
    """The figure as PNG or SVG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=100)
    return buffer.getvalue()
