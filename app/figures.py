"""Plotly figures built from query frames: `figure(frame) -> go.Figure`, Chilean number format.

Ficha text is data: every label goes through `escape` because plotly reads a subset of HTML in labels.
"""

import html

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

# Okabe-Ito colours: distinguishable with colour blindness, readable on white.
FLAG_COLORS = {"Sí": "#0072B2", "No": "#E69F00", "Desconocido": "#8C8C8C"}
_MINISTRY_PALETTE = px.colors.qualitative.Dark24 + px.colors.qualitative.Alphabet
LABEL_LIMIT = 38
LOG_SPAN = 100  # use a log axis when the largest value is this many times the smallest
MAX_BARS = 50  # more bars than this are unreadable; the table beside the chart has every row


def escape(text) -> str:
    return html.escape(str(text), quote=False)


def short(text, limit: int = LABEL_LIMIT) -> str:
    """Abbreviated, escaped label; the full text goes in the hover."""
    text = str(text)
    return escape(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


def ministry_colors(ministerios: list[str]) -> dict[str, str]:
    """The same colour for a ministerio on every page: assigned by its place among all ministerios."""
    return {name: _MINISTRY_PALETTE[i % len(_MINISTRY_PALETTE)] for i, name in enumerate(sorted(ministerios))}


def _layout(fig: go.Figure, height: int | None = None, **layout) -> go.Figure:
    fig.update_layout(
        separators=",.",
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font={"size": 13},
        hoverlabel={"align": "left"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"},
        **layout,
    )
    return fig


def _bar_height(rows: int) -> int:
    return max(260, min(2400, 60 + 28 * rows))


def _add_group_bars(fig: go.Figure, groups: pd.Series, values: pd.Series, name: str, color: str, hover: str) -> None:
    """One horizontal bar series over named groups: short labels on the axis, the full name in the hover."""
    fig.add_bar(
        name=name,
        y=[short(group) for group in groups],
        x=values,
        orientation="h",
        marker_color=color,
        customdata=[escape(group) for group in groups],
        hovertemplate=f"<b>%{{customdata}}</b><br>{hover}<extra></extra>",
    )


def overview(frame: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    """Products per ministerio, one colour per ministerio."""
    data = frame.sort_values("Productos")
    fig = go.Figure(
        go.Bar(
            x=data["Productos"],
            y=[short(name) for name in data["Ministerio"]],
            orientation="h",
            marker_color=[colors.get(name, "#4C4C4C") for name in data["Ministerio"]],
            customdata=list(
                zip(
                    [escape(name) for name in data["Ministerio"]],
                    data["Fichas"],
                    data["Servicios"],
                    data["% con enfoque de género"].fillna(0),
                    strict=True,
                )
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>Productos: %{x:,d}<br>Fichas: %{customdata[1]:,d}"
            "<br>Servicios: %{customdata[2]:,d}<br>Con enfoque de género: %{customdata[3]:.1f} %<extra></extra>",
        )
    )
    fig.update_xaxes(title="Productos estratégicos", tickformat=",d")
    return _layout(fig, _bar_height(len(data)), title="Productos estratégicos por ministerio")


def coverage(frame: pd.DataFrame, label: str) -> go.Figure:
    """Three coverage shares per group, side by side."""
    shares = ["% ministeriales vinculados", "% institucionales con producto", "% clientes atendidos"]
    names = {
        "% ministeriales vinculados": "Objetivos ministeriales vinculados",
        "% institucionales con producto": "Objetivos institucionales con producto",
        "% clientes atendidos": "Clientes atendidos por algún producto",
    }
    fig = go.Figure()
    for share, color in zip(shares, ["#0072B2", "#009E73", "#CC79A7"], strict=True):
        _add_group_bars(fig, frame[label], frame[share], names[share], color, f"{names[share]}: %{{x:.1f}} %")
    fig.update_xaxes(title="% cubierto", range=[0, 100], ticksuffix=" %")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, _bar_height(3 * len(frame)), barmode="group", title=f"Cobertura por {label.lower()}")


def link_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Institutional (rows) x ministerial (columns) objectives of one ficha; dark where linked."""
    matrix = frame.pivot(index="Objetivo institucional", columns="Objetivo ministerial", values="Vinculado")
    institutional = frame.drop_duplicates("Objetivo institucional").set_index("Objetivo institucional")
    ministerial = frame.drop_duplicates("Objetivo ministerial").set_index("Objetivo ministerial")
    hover = [
        [
            f"<b>OI {oi}</b>: {short(institutional.at[oi, 'Descripción institucional'], 90)}<br>"
            f"<b>OM {om}</b>: {short(ministerial.at[om, 'Descripción ministerial'], 90)}<br>"
            f"{'Vinculados' if matrix.at[oi, om] else 'Sin vínculo'}"
            for om in matrix.columns
        ]
        for oi in matrix.index
    ]
    fig = go.Figure(
        go.Heatmap(
            z=matrix.values,
            x=[f"OM {om}" for om in matrix.columns],
            y=[f"OI {oi}" for oi in matrix.index],
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            colorscale=[[0, "#F2F2F2"], [1, "#0072B2"]],
            zmin=0,
            zmax=1,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed", title="Objetivos institucionales")
    fig.update_xaxes(title="Objetivos del ministerio", side="top")
    return _layout(fig, max(260, 60 + 36 * len(matrix.index)))


def flag_bars(frame: pd.DataFrame, label: str, flag: str) -> go.Figure:
    """Products per group split by Sí / No / Desconocido for one flag ("Género" or "Territorial").

    Only the MAX_BARS groups with most products are drawn.
    """
    shown = frame.nlargest(MAX_BARS, "Productos").sort_values(label) if len(frame) > MAX_BARS else frame
    fig = go.Figure()
    for value, color in FLAG_COLORS.items():
        _add_group_bars(fig, shown[label], shown[f"{flag}: {value}"], value, color, f"{value}: %{{x:,d}} productos")
    fig.update_xaxes(title="Productos estratégicos", tickformat=",d")
    fig.update_yaxes(autorange="reversed")
    title = f"Los {len(shown)} con más productos, de {len(frame)}" if len(frame) > len(shown) else None
    return _layout(fig, _bar_height(len(shown)), barmode="stack", title=title)


def flag_matrix(frame: pd.DataFrame) -> go.Figure:
    """Products by both flags at once (Sí / No / Desconocido each)."""
    order = list(FLAG_COLORS)
    matrix = (
        frame.pivot(index="Enfoque de género", columns="Gestión territorial", values="Productos")
        .reindex(index=order, columns=order)
        .fillna(0)
        .astype(int)
    )
    fig = go.Figure(
        go.Heatmap(
            z=matrix.values,
            x=[f"Territorial: {value}" for value in order],
            y=[f"Género: {value}" for value in order],
            text=[[f"{value:,d}".replace(",", ".") for value in row] for row in matrix.values],
            texttemplate="%{text}",
            hovertemplate="%{y}<br>%{x}<br>Productos: %{z:,d}<extra></extra>",
            colorscale="Blues",
            showscale=False,
            xgap=3,
            ygap=3,
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 320, title="Productos según ambos enfoques")


def clients_by_service(frame: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    """Sum of quantifications per ficha, on a log axis when values span orders of magnitude."""
    data = frame.dropna(subset=["Suma de cuantificaciones"])
    data = data[data["Suma de cuantificaciones"] > 0].nlargest(MAX_BARS, "Suma de cuantificaciones")
    data = data.sort_values("Suma de cuantificaciones")
    values = data["Suma de cuantificaciones"]
    log = len(values) > 1 and values.max() / values.min() >= LOG_SPAN
    labels = [short(f"{servicio} ({anio})") for servicio, anio in zip(data["Servicio"], data["Año"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker_color=[colors.get(name, "#4C4C4C") for name in data["Ministerio"]],
            customdata=list(
                zip([escape(s) for s in data["Servicio"]], [escape(m) for m in data["Ministerio"]], strict=True)
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Suma de cuantificaciones: %{x:,d}"
            "<extra></extra>",
        )
    )
    fig.update_xaxes(
        type="log" if log else "linear", title="Suma de cuantificaciones" + (" (escala log)" if log else "")
    )
    fig.update_xaxes(tickformat=",d")
    title = "Clientes cuantificados por servicio"
    if len(frame) > len(data):
        title += f" (las {len(data)} mayores sumas, de {len(frame)} fichas)"
    return _layout(fig, _bar_height(len(data)), title=title)


def sankey(flows: pd.DataFrame, names: dict[str, dict[int, str]]) -> go.Figure:
    """Ministry objectives -> institutional objectives -> products -> clients of one ficha.

    `names` maps a stage prefix ("OM", "OI", "P", "C") to {number: full text}.
    """
    stages = {"om-oi": ("OM", "OI"), "oi-p": ("OI", "P"), "p-c": ("P", "C")}
    nodes: dict[tuple[str, int], int] = {}
    for prefix, by_number in names.items():
        for number in sorted(by_number):
            nodes[(prefix, number)] = len(nodes)
    sources, targets = [], []
    for stage, origin, target in flows[["etapa", "origen", "destino"]].itertuples(index=False):
        left, right = stages[stage]
        if (left, origin) in nodes and (right, target) in nodes:
            sources.append(nodes[(left, origin)])
            targets.append(nodes[(right, target)])
    colors = {"OM": "#0072B2", "OI": "#009E73", "P": "#E69F00", "C": "#CC79A7"}
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [f"{prefix} {number}: {short(names[prefix][number], 28)}" for prefix, number in nodes],
                "customdata": [escape(names[prefix][number]) for prefix, number in nodes],
                "hovertemplate": "%{customdata}<extra></extra>",
                "color": [colors[prefix] for prefix, _ in nodes],
                "pad": 12,
            },
            link={"source": sources, "target": targets, "value": [1] * len(sources), "color": "rgba(0,0,0,0.15)"},
        )
    )
    return _layout(fig, max(420, 22 * max((len(v) for v in names.values()), default=1) + 120))


# -- evolution across years ------------------------------------------------------------------------

TREND_PANELS = [  # (column, panel title, whether it is a share in %)
    ("Fichas", "Fichas", False),
    ("Productos", "Productos estratégicos", False),
    ("% con enfoque de género", "% con enfoque de género", True),
    ("% con gestión territorial", "% con gestión territorial", True),
    ("% objetivos ministeriales vinculados", "% objetivos ministeriales vinculados", True),
]
TREND_COLOR = "#0072B2"


def trend(frame: pd.DataFrame, colors: dict[str, str] | None = None, series: str | None = None) -> go.Figure:
    """Small multiples, one panel per indicator, years on x; one line per value of `series` (or one line in all).

    Years are whole numbers on the axis (`2021`, never `2.021`); shares keep their 0-100 % scale.
    """
    from plotly.subplots import make_subplots  # only this figure needs it

    fig = make_subplots(rows=2, cols=3, subplot_titles=[title for _, title, _ in TREND_PANELS],
                        horizontal_spacing=0.07, vertical_spacing=0.16)  # fmt: skip
    if series is None:
        groups = [(None, frame)]
    else:  # the legend lists the largest first
        sizes = frame.groupby(series)["Fichas"].sum()
        order = sorted(sizes.index, key=lambda name: (-sizes[name], name))
        groups = [(name, frame[frame[series] == name]) for name in order]
    for index, (column, title, share) in enumerate(TREND_PANELS):
        row, col = divmod(index, 3)
        for name, data in groups:
            label = "Total del filtro" if name is None else str(name)
            value = "%{y:.1f} %" if share else "%{y:,d}"
            fig.add_scatter(
                x=data["Año"],
                y=data[column],
                mode="lines+markers" if name is not None else "lines+markers+text",  # one line: values labelled
                texttemplate="%{y:.1f} %" if share else "%{y:,d}",
                textposition="top center",
                cliponaxis=False,
                name=short(label, 48),
                legendgroup=label,
                showlegend=index == 0 and name is not None,
                line={"color": TREND_COLOR if name is None else (colors or {}).get(name, "#4C4C4C"), "width": 2},
                hovertemplate=f"<b>{escape(label)}</b><br>Año %{{x}}<br>{title}: {value}<extra></extra>",
                row=row + 1,
                col=col + 1,
            )
        if share:
            ticks = [0, 25, 50, 75, 100]
            fig.update_yaxes(range=[0, 108], tickvals=ticks, ticktext=[f"{tick} %" for tick in ticks], row=row + 1,
                             col=col + 1)  # fmt: skip
        else:
            fig.update_yaxes(rangemode="tozero", tickformat=",d", row=row + 1, col=col + 1)
    years = sorted(frame["Año"].unique())
    fig.update_xaxes(tickvals=years, tickformat="d", hoverformat="d", range=[years[0] - 0.5, years[-1] + 0.5])
    _layout(fig, 600)
    # The legend fills the sixth cell of the grid, beside the last panel.
    return fig.update_layout(legend={"orientation": "v", "x": 0.71, "y": 0.42, "yanchor": "top", "xanchor": "left"})
