"""Plotly figures built from query frames: `figure(frame) -> go.Figure`, Chilean number format.

Every mark stands for one entity keyed by its identity (a servicio_id, a partida, an official ministry name), never by
its label: labels are only the tick text, shortened, and told apart when two entities share one. Charts are sorted by
value (or by name on request), label their values, and draw at most `MAX_BARS` groups, naming how many they leave out.

Ficha text is data: every label goes through `escape` because plotly reads a subset of HTML in labels.
"""

import html
import math
import textwrap

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from formatting import decimal, integer

# Okabe-Ito colours: distinguishable with colour blindness, readable on white.
FLAG_COLORS = {"Sí": "#0072B2", "No": "#E69F00", "Desconocido": "#8C8C8C"}
FLAG_NAMES = {"Género": "enfoque de género", "Territorial": "gestión territorial"}
BAR_COLOR = "#0072B2"
_MINISTRY_PALETTE = px.colors.qualitative.Dark24 + px.colors.qualitative.Alphabet  # lines of the Evolución page
LABEL_LIMIT = 52  # a service's tick text
MINISTRY_LABEL_LIMIT = 66  # every official ministry name fits whole (the longest has 60 characters)
LOG_SPAN = 100  # use a log axis when the largest value is this many times the smallest
MAX_BARS = 30  # more bars than this are unreadable; the table beside the chart has every row
MAX_ROWS = 40  # heatmap rows: every ministry and partida of a year fits
ORDERS = {"valor": "Valor", "nombre": "Nombre"}  # how a chart's groups are sorted
PERCENT_TICKS = [0, 25, 50, 75, 100]
FEMININE = {"fichas", "partidas"}

# What `st.plotly_chart(config=...)` gets on every page. Streamlit's plotly bundle carries only the `en` and `en-US`
# locales (static/js/PlotlyChart.*.js), so numbers get Chilean separators from each layout's `separators`, and the
# toolbar keeps only the PNG download (its tooltip is plotly's English; Streamlit's own fullscreen button stays).
CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": [
        "zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d",
    ],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}  # fmt: skip


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
    """Chilean separators (`13.331`, `45,2`) and the house layout; `layout` overrides any of it."""
    fig.update_layout(
        separators=",.",
        height=height,
        margin={"l": 10, "r": 30, "t": 80 if len(fig.data) > 1 else 50, "b": 10},
        font={"size": 13},
        hoverlabel={"align": "left"},
        # The title on the first line of the top margin, the legend on the second: they never overlap.
        title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 12}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"},
    )
    if "title" in layout:  # a plain string would replace the title's position set above
        layout["title"] = {"text": layout["title"]}
    fig.update_layout(**layout)
    return fig


def _bar_height(rows: int) -> int:
    return max(240, 90 + 26 * rows)


# -- identity and order ----------------------------------------------------------------------------------------------


def marks(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per mark: `key` (identity), `name` (full), `label` (full and unique) and `tick` (short, escaped, unique).

    A row is a service when the frame has `Servicio ID` (a ficha when it also has `Año`), a partida when it has
    `Partida`, else a ministry. Shortening keeps the year; ticks that still coincide get the identity appended.
    """
    parts = _identity(frame)
    return _with_ticks(parts, parts.index)


def _identity(frame: pd.DataFrame) -> pd.DataFrame:
    """`key`, `name`, `label` and unsuffixed `tick` of every row (vectorised), with the pieces of a suffixed tick."""
    blank = pd.Series("", index=frame.index)
    if "Servicio ID" in frame.columns:
        keys = frame["Servicio ID"].astype(str)
        bases, extras, suffixes, limit = frame["Servicio"].astype(str), blank, " · " + keys, LABEL_LIMIT
        if "Año" in frame.columns:
            years = frame["Año"].astype(str)
            keys, extras = keys + " · " + years, " (" + years + ")"
    elif "Partida" in frame.columns:
        keys = frame["Partida"].astype(str)
        bases, extras, suffixes, limit = (
            keys + " · " + frame["Ministerio"].astype(str),
            blank,
            blank,
            MINISTRY_LABEL_LIMIT,
        )
    else:
        keys = frame["Ministerio"].astype(str)
        bases, extras, suffixes, limit = keys, blank, blank, MINISTRY_LABEL_LIMIT
    names = bases + extras
    labels = names.where(~names.duplicated(keep=False), names + suffixes)
    ticks = _short_ticks(bases, extras, limit)
    parts = {"key": keys, "name": names, "label": labels, "tick": ticks, "_base": bases, "_extra": extras}
    parts |= {"_suffix": suffixes, "_clash": ticks.duplicated(keep=False)}
    return pd.DataFrame({column: values.values for column, values in parts.items()}).assign(_limit=limit)


def _escape_all(texts: pd.Series) -> pd.Series:
    """`escape` of every text, vectorised (`&` first, as html.escape does)."""
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        texts = texts.str.replace(char, entity, regex=False)
    return texts


def _short_ticks(bases: pd.Series, extras: pd.Series, limit: int) -> pd.Series:
    """`short(base, limit - len(extra)) + escape(extra)` for every row, vectorised: a Python call only for the few cut
    texts that end in whitespace (`rstrip`), so choosing the drawn rows costs no Python loop over all of them."""
    bases, extras = bases.astype(str), extras.astype(str)
    rooms = limit - extras.str.len()
    long = bases.str.len() > rooms
    if not long.any():
        return _escape_all(bases) + _escape_all(extras)
    cut = bases.copy()
    for room in rooms[long].unique():
        chosen = long & (rooms == room)
        cut[chosen] = bases[chosen].str.slice(0, int(room) - 1)
    last = cut[long].str[-1]
    spaces = {char for char in last.dropna().unique() if char.isspace()}
    ends_in_space = last.index[last.isin(spaces)]
    cut[ends_in_space] = [text.rstrip() for text in cut[ends_in_space]]
    cut[long] = cut[long] + "…"
    return _escape_all(cut) + _escape_all(extras)


def _with_ticks(parts: pd.DataFrame, rows: pd.Index) -> pd.DataFrame:
    """`key`, `name`, `label` and `tick` of `rows` of `_identity`'s frame: a tick that coincides with any other row's
    gets its identity appended, built (a Python call each) only for the rows drawn."""
    drawn = parts.loc[rows]
    ticks = drawn["tick"].copy()
    clash = drawn["_clash"]
    pieces = zip(
        drawn["_base"][clash], drawn["_extra"][clash], drawn["_suffix"][clash], drawn["_limit"][clash], strict=True
    )
    ticks[clash] = [
        short(base, limit - len(extra) - len(suffix)) + escape(extra + suffix) for base, extra, suffix, limit in pieces
    ]
    return drawn[["key", "name", "label"]].assign(tick=ticks.values).reset_index(drop=True)


def ordered(frame: pd.DataFrame, value: str | pd.Series, order: str = "valor", limit: int = MAX_BARS) -> pd.DataFrame:
    """The `limit` rows with the largest `value`, sorted by it (largest first) or by name, with a `key` etc.

    Rows are chosen and sorted on the vectorised names; only the drawn rows get their tick text.
    """
    values = frame[value] if isinstance(value, str) else value
    parts = _identity(frame).assign(_value=values.values)
    chosen = parts.sort_values(["_value", "name"], ascending=[False, True], na_position="last").head(limit)
    if order == "nombre":
        chosen = chosen.sort_values("name", key=lambda names: names.str.lower())
    drawn = frame.reset_index(drop=True).loc[chosen.index].reset_index(drop=True)
    return pd.concat([drawn, _with_ticks(parts, chosen.index)], axis=1).set_axis(chosen.index)


def _category_axis(fig: go.Figure, data: pd.DataFrame, axis: str = "y") -> None:
    """Marks keyed by identity, drawn top to bottom in `data`'s order, each with its short tick text."""
    fig.update_layout(
        {
            f"{axis}axis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": list(data["key"]),
                "tickmode": "array",
                "tickvals": list(data["key"]),
                "ticktext": list(data["tick"]),
                "autorange": "reversed" if axis == "y" else True,
                "automargin": True,
            }
        }
    )


def left_out(shown: int, total: int, plural: str) -> str:
    """Title suffix for a top-N: "; y 75 servicios más, en la tabla" (empty when nothing is left out)."""
    return f"; y {integer(total - shown)} {plural} más, en la tabla" if total > shown else ""


def _top_title(whole: str, top: str, shown: int, total: int, plural: str) -> str:
    """`whole` when every group is drawn, else "Los 30 servicios {top}; y 75 servicios más, en la tabla"."""
    if total <= shown:
        return whole
    article = "Las" if plural in FEMININE else "Los"
    return f"{article} {integer(shown)} {plural} {top}" + left_out(shown, total, plural)


def integer_step(largest: float) -> int:
    """A whole tick step giving at most about eight ticks: counts never show "0 1 1 2 2"."""
    largest = max(float(largest or 0), 1.0)
    magnitude = 10 ** math.floor(math.log10(largest))
    for step in (magnitude / 10, magnitude / 5, magnitude / 2, magnitude, 2 * magnitude, 5 * magnitude):
        if step >= 1 and largest / step <= 8:
            return int(step)
    return int(10 * magnitude)


def _count_axis(fig: go.Figure, largest: float, title: str) -> None:
    fig.update_xaxes(title=title, tickformat=",d", tick0=0, dtick=integer_step(largest), rangemode="tozero")


def _percent_axis(fig: go.Figure, title: str) -> None:
    """0 to 100 % with the 100 % tick always drawn."""
    fig.update_xaxes(
        title=title,
        range=[0, 101],
        tickmode="array",
        tickvals=PERCENT_TICKS,
        ticktext=[f"{t} %" for t in PERCENT_TICKS],
    )


# -- pages -----------------------------------------------------------------------------------------------------------


def overview(frame: pd.DataFrame, order: str = "valor") -> go.Figure:
    """Products per ministerio, each bar labelled with its count."""
    data = ordered(frame, "Productos", order)
    fig = go.Figure(
        go.Bar(
            x=data["Productos"],
            y=data["key"],
            orientation="h",
            marker_color=BAR_COLOR,
            text=data["Productos"],
            texttemplate="%{x:,d}",
            textposition="outside",
            cliponaxis=False,
            customdata=list(
                zip(
                    data["label"].map(escape),
                    data["Fichas"],
                    data["Servicios"],
                    data["% con enfoque de género"],
                    strict=True,
                )
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>Productos: %{x:,d}<br>Fichas: %{customdata[1]:,d}"
            "<br>Servicios: %{customdata[2]:,d}<br>Con enfoque de género: %{customdata[3]:.1f} %<extra></extra>",
        )
    )
    _category_axis(fig, data)
    _count_axis(fig, data["Productos"].max(), "Productos estratégicos")
    title = _top_title(
        "Productos estratégicos por ministerio", "con más productos estratégicos", len(data), len(frame), "ministerios"
    )
    return _layout(fig, _bar_height(len(data)), title=title)


COVERAGE_SHARES = {
    "% ministeriales vinculados": ("Objetivos ministeriales vinculados", "Ministeriales vinculados", "Objetivos ministeriales"),
    "% institucionales con producto": (
        "Objetivos institucionales con producto", "Institucionales con producto", "Objetivos institucionales",
    ),
    "% clientes atendidos": ("Clientes atendidos por algún producto", "Clientes atendidos", "Clientes"),
}  # fmt: skip


def coverage(frame: pd.DataFrame, plural: str, order: str = "valor") -> go.Figure:
    """Groups (rows) x the three coverage shares (columns): a heatmap labelled "45,2 %", counts in the hover.

    Sorted by the mean of the three shares (the most covered first), or by name.
    """
    shares = list(COVERAGE_SHARES)
    data = ordered(frame, frame[shares].mean(axis=1), order, MAX_ROWS)
    columns = [names[0].replace(" ", "<br>", 2).replace("<br>", " ", 1) for names in COVERAGE_SHARES.values()]
    cells = [
        [decimal(row[share]) + " %" if pd.notna(row[share]) else "—" for share in shares] for _, row in data.iterrows()
    ]
    hover = [
        [
            f"<b>{escape(row['label'])}</b><br>{label}: {cell}<br>{integer(row[covered])} de {integer(row[total])}"
            f"<br>Fichas: {integer(row['Fichas'])}"
            for (label, covered, total), cell in zip(COVERAGE_SHARES.values(), row_cells, strict=True)
        ]
        for (_, row), row_cells in zip(data.iterrows(), cells, strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=data[shares].values,
            x=columns,
            y=data["key"],
            text=cells,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale="Blues",
            zmin=0,
            zmax=100,
            xgap=2,
            ygap=2,
            colorbar={"title": "% cubierto", "tickvals": PERCENT_TICKS, "ticktext": [f"{t} %" for t in PERCENT_TICKS]},
        )
    )
    _category_axis(fig, data)
    fig.update_xaxes(side="top", tickangle=0, automargin=True)
    title = _top_title(
        f"Cobertura de objetivos por {plural.removesuffix('s')}",
        "con más cobertura media",
        len(data),
        len(frame),
        plural,
    )
    return _layout(fig, max(260, 140 + 30 * len(data)), title=title)


def link_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Institutional (rows) x ministerial (columns) objectives of one ficha; dark where linked."""
    matrix = frame.pivot(index="Objetivo institucional", columns="Objetivo ministerial", values="Vinculado").astype(int)
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


def flag_shares(frame: pd.DataFrame, flag: str, plural: str, order: str = "valor") -> go.Figure:
    """Each group's products as 100 % split into Sí / No / Desconocido for one flag ("Género" or "Territorial").

    Shares compare groups of different size; the counts are in the hover. Sorted by the share of Sí; when there are
    more than `MAX_BARS` groups, the ones with most products are drawn.
    """
    biggest = frame.nlargest(MAX_BARS, "Productos") if len(frame) > MAX_BARS else frame
    total = biggest["Productos"].where(biggest["Productos"] > 0)
    data = ordered(biggest, biggest[f"{flag}: Sí"] / total, order)
    fig = go.Figure()
    for value, color in FLAG_COLORS.items():
        counts = data[f"{flag}: {value}"]
        fig.add_bar(
            name=value,
            y=data["key"],
            x=100 * counts / data["Productos"],
            orientation="h",
            marker_color=color,
            texttemplate="%{x:.0f} %",
            textposition="inside",
            insidetextanchor="middle",
            customdata=list(zip(data["label"].map(escape), counts, data["Productos"], strict=True)),
            hovertemplate=f"<b>%{{customdata[0]}}</b><br>{value}: %{{x:.1f}} % (%{{customdata[1]:,d}} de "
            "%{customdata[2]:,d} productos)<extra></extra>",
        )
    _category_axis(fig, data)
    _percent_axis(fig, "% de los productos estratégicos")
    whole = f"Productos según {FLAG_NAMES[flag]}, por {plural.removesuffix('s')}"
    title = _top_title(whole, "con más productos, por % con «Sí»", len(data), len(frame), plural)
    return _layout(
        fig, _bar_height(len(data)) + 40, barmode="stack", title=title, uniformtext={"mode": "hide", "minsize": 10}
    )


def clients_by_service(frame: pd.DataFrame, order: str = "valor") -> go.Figure:
    """Sum of quantifications per ficha (a service in a year), on a log axis when values span orders of magnitude."""
    quantified = frame[frame["Suma de cuantificaciones"].fillna(0) > 0]
    data = ordered(quantified, "Suma de cuantificaciones", order)
    values = data["Suma de cuantificaciones"]
    log = len(values) > 1 and values.max() / values.min() >= LOG_SPAN
    fig = go.Figure(
        go.Bar(
            x=values,
            y=data["key"],
            orientation="h",
            marker_color=BAR_COLOR,
            texttemplate="%{x:,d}",
            textposition="outside",
            cliponaxis=False,
            customdata=list(
                zip(data["label"].map(escape), data["Servicio ID"], data["Ministerio"].map(escape), strict=True)
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>Servicio %{customdata[1]} · %{customdata[2]}"
            "<br>Suma de cuantificaciones: %{x:,d}<extra></extra>",
        )
    )
    _category_axis(fig, data)
    if log:
        fig.update_xaxes(type="log", title="Suma de cuantificaciones (escala logarítmica)", tickformat=",d")
    else:
        _count_axis(fig, values.max(), "Suma de cuantificaciones")
    title = _top_title(
        "Clientes cuantificados por ficha (servicio y año)",
        "con mayor suma de cuantificaciones",
        len(data),
        len(quantified),
        "fichas",
    )
    return _layout(fig, _bar_height(len(data)), title=title)


# -- one ficha's flow ------------------------------------------------------------------------------------------------

SANKEY_STAGES = {"OM": "Objetivos ministeriales", "OI": "Objetivos institucionales", "P": "Productos", "C": "Clientes"}
# Column positions (plotly ignores an x of exactly 0 or 1); the widest gap holds products' and clients' labels.
SANKEY_X = {"OM": 0.001, "OI": 0.29, "P": 0.55, "C": 0.999}
_SANKEY_LINKS = {"om-oi": ("OM", "OI"), "oi-p": ("OI", "P"), "p-c": ("P", "C")}
_SANKEY_COLORS = {"OM": "#0072B2", "OI": "#009E73", "P": "#E69F00", "C": "#CC79A7"}
_SANKEY_WIDTH = 0.8  # the rest, on the right, lists the nodes without links
# Label lengths: products' labels (right of their nodes) and clients' (left of theirs) share one gap.
_SANKEY_LABEL = {"OM": 26, "OI": 22, "P": 18, "C": 18}


def wrapped(text, width: int = 70) -> str:
    """Escaped text in lines of about `width` characters, for a hover box."""
    return "<br>".join(escape(line) for line in textwrap.wrap(str(text), width)) or escape(text)


def sankey(flows: pd.DataFrame, names: dict[str, dict[int, str]]) -> go.Figure:
    """Ministry objectives -> institutional objectives -> products -> clients of one ficha, in four fixed columns.

    `names` maps a stage prefix ("OM", "OI", "P", "C") to {number: full text}. Nodes without any link are not drawn
    (plotly would put them in the first column): they are listed beside the chart.
    """
    links = [
        ((left, origin), (right, target))
        for stage, origin, target in flows[["etapa", "origen", "destino"]].itertuples(index=False)
        for left, right in [_SANKEY_LINKS[stage]]
        if origin in names.get(left, {}) and target in names.get(right, {})
    ]
    linked = {node for link in links for node in link}
    nodes = [
        (prefix, number)
        for prefix in SANKEY_STAGES
        for number in sorted(names.get(prefix, {}))
        if (prefix, number) in linked
    ]
    index = {node: i for i, node in enumerate(nodes)}
    per_stage = {prefix: [node for node in nodes if node[0] == prefix] for prefix in SANKEY_STAGES}
    ys = [(per_stage[prefix].index((prefix, number)) + 0.5) / len(per_stage[prefix]) for prefix, number in nodes]
    fig = go.Figure(
        go.Sankey(
            arrangement="fixed",
            domain={"x": [0, _SANKEY_WIDTH], "y": [0, 1]},
            node={
                "label": [
                    f"{prefix} {number}: {short(names[prefix][number], _SANKEY_LABEL[prefix])}"
                    for prefix, number in nodes
                ],
                "x": [SANKEY_X[prefix] for prefix, _ in nodes],
                "y": ys,
                "customdata": [
                    f"<b>{SANKEY_STAGES[prefix]} {number}</b><br>{wrapped(names[prefix][number])}"
                    for prefix, number in nodes
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
                "color": [_SANKEY_COLORS[prefix] for prefix, _ in nodes],
                "pad": 10,
                "thickness": 14,
            },
            link={
                "source": [index[source] for source, _ in links],
                "target": [index[target] for _, target in links],
                "value": [1] * len(links),
                "customdata": [f"{s[0]} {s[1]} → {t[0]} {t[1]}" for s, t in links],
                "hovertemplate": "%{customdata}<extra></extra>",
                "color": "rgba(0,0,0,0.15)",
            },
        )
    )
    for prefix, x in SANKEY_X.items():
        fig.add_annotation(
            x=x * _SANKEY_WIDTH, y=1.0, xref="paper", yref="paper", yanchor="bottom", showarrow=False,
            xanchor={"OM": "left", "C": "right"}.get(prefix, "center"), text=f"<b>{SANKEY_STAGES[prefix]}</b>",
        )  # fmt: skip
    unlinked = [
        f"{prefix} {number}: {short(text, 30)}"
        for prefix in SANKEY_STAGES
        for number, text in sorted(names.get(prefix, {}).items())
        if (prefix, number) not in linked
    ]
    fig.add_annotation(
        x=_SANKEY_WIDTH + 0.02, y=1.0, xref="paper", yref="paper", xanchor="left", yanchor="top", showarrow=False,
        align="left", text="<b>Sin vínculos</b><br>" + ("<br>".join(unlinked) if unlinked else "(ninguno)"),
    )  # fmt: skip
    tallest = max([len(stage) for stage in per_stage.values()] + [len(unlinked) * 0.8, 1])
    return _layout(fig, int(max(420, 40 * tallest + 120)), margin={"l": 10, "r": 10, "t": 40, "b": 10})


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
