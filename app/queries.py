"""All read SQL of the dashboard: one function per chart or table.

Every function returns a `Result` whose frame already has the Spanish column headers users see and
download, and whose SQL and parameters the page shows under "Ver SQL". Results are cached per database
snapshot and parameters (that is, per filter).
"""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from app import db
from app.filters import DIMENSIONS, KEYS, Filters, label_column, where_clause


@dataclass(frozen=True)
class Grouping:
    """A level charts group fichas by: one group per identity, never per spelling.

    `identity` is the SQL the query groups by and `key` its header in the frame; `columns` are what the table shows
    for each group, identity first (other columns aggregate: the most recent ficha's name).
    """

    level: str
    label: str  # the widget's option and the table title ("Cobertura por servicio")
    plural: str  # "y 230 servicios más"
    identity: str
    columns: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        return self.columns[0][1]

    def select(self) -> str:
        return ",\n    ".join(f'{sql} as "{header}"' for sql, header in self.columns)


_LATEST_MINISTERIO = ("max_by(sel.ministerio_nombre, sel.anio)", "Ministerio")
GROUPINGS = {
    grouping.level: grouping
    for grouping in (
        Grouping("ministerio", "Ministerio", "ministerios", "sel.ministerio_nombre",
                 (("sel.ministerio_nombre", "Ministerio"),)),
        Grouping("partida", "Partida", "partidas", "sel.partida", (("sel.partida", "Partida"), _LATEST_MINISTERIO)),
        Grouping("servicio", "Servicio", "servicios", "sel.servicio_id",
                 (("sel.servicio_id", "Servicio ID"), ("max_by(sel.servicio_nombre, sel.anio)", "Servicio"),
                  _LATEST_MINISTERIO)),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Result:
    frame: pd.DataFrame
    sql: str
    params: dict[str, object]

    def params_sql(self) -> str:
        """The parameters by name, as SQL comments, for "Ver SQL"."""
        if not self.params:
            return "-- sin parámetros"
        return "\n".join(f"-- ${name} = {value!r}" for name, value in self.params.items())


@st.cache_resource(show_spinner=False, max_entries=1024)
def _frame(snap: db.Snapshot, sql: str, params: dict[str, object]) -> pd.DataFrame:
    """One frame per query and parameters, shared by every session: `cache_resource` hands out the object itself,
    where `cache_data` would unpickle a copy on every read (a tenth of a page view's server CPU with 10.000 fichas).
    """
    return db.query(snap, sql, params)


def _run(snap: db.Snapshot, sql: str, **params: object) -> Result:
    """Run `sql` with DuckDB named parameters: `$name` in the SQL, `name=value` here.

    The frame is a shallow copy of the cached one: pandas' copy-on-write copies the data only if a page changes
    it, so no page can change what another session reads.
    """
    return Result(_frame(snap, sql, params).copy(deep=False), sql.strip(), params)


def _filtered(snap: db.Snapshot, filters: Filters, body: str, *ctes: str, **params: object) -> Result:
    """Run `body` over `sel`, the fichas the filter keeps; `ctes` (`name as (...)`) follow `sel` in its `with`."""
    where, where_params = where_clause(filters)
    if clash := where_params.keys() & params.keys():
        raise ValueError(f"parameter names used by the filter: {sorted(clash)}")
    with_list = ",\n".join([f"sel as (\n    select * from fichas f where {where}\n)", *ctes])
    return _run(snap, f"with {with_list}\n{body}", **where_params, **params)


def _group(level: str) -> Grouping:
    """The allow-listed grouping of a level."""
    if level not in GROUPINGS:
        raise ValueError(f"unknown grouping {level!r}")
    return GROUPINGS[level]


# A row that is one ficha: its identity (official names, servicio_id) and the names as the ficha writes them.
_FICHA_IDENTITY = """cast(sel.anio as varchar) as "Año",
    sel.ministerio_nombre as "Ministerio",
    sel.servicio_id as "Servicio ID",
    sel.servicio_nombre as "Servicio\""""
_AS_WRITTEN = """sel.ministerio as "Ministerio (según la ficha)",
    sel.servicio as "Servicio (según la ficha)\""""
_FICHA_ORDER = "sel.anio desc, sel.ministerio_nombre, sel.servicio_nombre, sel.servicio_id"


# -- filters and headline -------------------------------------------------------------------------


def fichas_index(snap: db.Snapshot) -> Result:
    """Every ficha's filter dimensions (small: one row per ficha), for the sidebar options and their labels."""
    columns = [f"{dimension.sql()} as {dimension.key}" for dimension in DIMENSIONS]
    columns += [
        f"{dimension.option_label} as {label_column(dimension)}"
        for dimension in DIMENSIONS
        if dimension.option_label is not None
    ]
    sql = f"""
select f.ficha_id, {", ".join(columns)}
from fichas f order by {", ".join(KEYS)}
"""
    return _run(snap, sql)


def headline(snap: db.Snapshot, filters: Filters) -> Result:
    sql = """
select
    (select count(*) from sel) as fichas,
    (select count(distinct servicio_id) from sel) as servicios,
    (select count(distinct ministerio_nombre) from sel) as ministerios,
    count(p.numero) as productos,
    count(*) filter (where p.aplica_enfoque_genero) as productos_genero,
    count(*) filter (where p.aplica_gestion_territorial) as productos_territorial,
    count(*) filter (where p.aplica_enfoque_genero is null) as genero_desconocido,
    count(*) filter (where p.aplica_gestion_territorial is null) as territorial_desconocido,
    (select count(*) from clientes c join sel using (ficha_id)) as clientes,
    (select count(c.cuantificacion) from clientes c join sel using (ficha_id)) as clientes_cuantificados,
    (select cast(sum(c.cuantificacion) as bigint) from clientes c join sel using (ficha_id)) as suma_cuantificacion
from productos p join sel using (ficha_id)
"""
    return _filtered(snap, filters, sql)


def budget_shares(snap: db.Snapshot, filters: Filters) -> Result:
    """Budget of products with each approach over the budget of every product that reports one (miles de $)."""
    sql = """
select
    (select count(*) from sel) as fichas,
    count(distinct p.ficha_id) as fichas_con_presupuesto,
    cast(sum(p.presupuesto_miles) as bigint) as presupuesto,
    cast(coalesce(sum(p.presupuesto_miles) filter (where p.aplica_enfoque_genero), 0) as bigint)
        as presupuesto_genero,
    cast(coalesce(sum(p.presupuesto_miles) filter (where p.aplica_gestion_territorial), 0) as bigint)
        as presupuesto_territorial
from productos p join sel using (ficha_id)
where p.presupuesto_miles is not null
"""
    return _filtered(snap, filters, sql)


def overview_by_ministerio(snap: db.Snapshot, filters: Filters) -> Result:
    productos_sel = """
productos_sel as (
    select sel.ministerio_nombre, p.* from productos p join sel using (ficha_id)
)"""
    sql = """
select
    sel.ministerio_nombre as "Ministerio",
    count(distinct sel.ficha_id) as "Fichas",
    count(distinct sel.servicio_id) as "Servicios",
    (select count(*) from productos_sel p where p.ministerio_nombre = sel.ministerio_nombre) as "Productos",
    (select 100.0 * count(*) filter (where p.aplica_enfoque_genero) / nullif(count(*), 0)
       from productos_sel p where p.ministerio_nombre = sel.ministerio_nombre) as "% con enfoque de género",
    (select 100.0 * count(*) filter (where p.aplica_gestion_territorial) / nullif(count(*), 0)
       from productos_sel p where p.ministerio_nombre = sel.ministerio_nombre) as "% con gestión territorial"
from sel
group by sel.ministerio_nombre
order by "Productos" desc, "Ministerio"
"""
    return _filtered(snap, filters, sql, productos_sel)


# -- coverage --------------------------------------------------------------------------------------

# Per ficha: totals and covered counts, each table counted once per ficha and joined (not six subqueries a ficha).
_COVERAGE_COUNTS = """counts as (
    select
        sel.ficha_id,
        coalesce(om.n, 0) as om,
        coalesce(om_c.n, 0) as om_cubiertos,
        coalesce(oi.n, 0) as oi,
        coalesce(oi_c.n, 0) as oi_cubiertos,
        coalesce(cl.n, 0) as cl,
        coalesce(cl_c.n, 0) as cl_cubiertos
    from sel
    left join (select ficha_id, count(*) as n from objetivos_ministeriales group by ficha_id) om using (ficha_id)
    left join (select ficha_id, count(distinct objetivo_ministerial) as n
               from objetivo_institucional_ministerial group by ficha_id) om_c using (ficha_id)
    left join (select ficha_id, count(*) as n from objetivos_institucionales group by ficha_id) oi using (ficha_id)
    left join (select ficha_id, count(distinct objetivo_institucional) as n
               from objetivo_institucional_producto group by ficha_id) oi_c using (ficha_id)
    left join (select ficha_id, count(*) as n from clientes group by ficha_id) cl using (ficha_id)
    left join (select ficha_id, count(distinct cliente) as n from producto_cliente group by ficha_id) cl_c using (ficha_id)
)"""


def coverage_by_ficha(snap: db.Snapshot, filters: Filters) -> Result:
    sql = f"""
select
    {_FICHA_IDENTITY},
    sel.partida as "Partida",
    sel.capitulo as "Capítulo",
    c.om as "Objetivos ministeriales",
    c.om_cubiertos as "Ministeriales vinculados",
    100.0 * c.om_cubiertos / nullif(c.om, 0) as "% ministeriales vinculados",
    c.oi as "Objetivos institucionales",
    c.oi_cubiertos as "Institucionales con producto",
    100.0 * c.oi_cubiertos / nullif(c.oi, 0) as "% institucionales con producto",
    c.cl as "Clientes",
    c.cl_cubiertos as "Clientes atendidos",
    100.0 * c.cl_cubiertos / nullif(c.cl, 0) as "% clientes atendidos",
    sel.ficha_id as "Ficha",
    {_AS_WRITTEN}
from sel join counts c using (ficha_id)
order by {_FICHA_ORDER}
"""
    return _filtered(snap, filters, sql, _COVERAGE_COUNTS)


def coverage_by(snap: db.Snapshot, filters: Filters, level: str) -> Result:
    """Coverage pooled over the fichas of each group (sums of covered over sums of totals), with those sums."""
    grouping = _group(level)
    sql = f"""
select
    {grouping.select()},
    count(*) as "Fichas",
    100.0 * sum(c.om_cubiertos) / nullif(sum(c.om), 0) as "% ministeriales vinculados",
    100.0 * sum(c.oi_cubiertos) / nullif(sum(c.oi), 0) as "% institucionales con producto",
    100.0 * sum(c.cl_cubiertos) / nullif(sum(c.cl), 0) as "% clientes atendidos",
    cast(sum(c.om) as bigint) as "Objetivos ministeriales",
    cast(sum(c.om_cubiertos) as bigint) as "Ministeriales vinculados",
    cast(sum(c.oi) as bigint) as "Objetivos institucionales",
    cast(sum(c.oi_cubiertos) as bigint) as "Institucionales con producto",
    cast(sum(c.cl) as bigint) as "Clientes",
    cast(sum(c.cl_cubiertos) as bigint) as "Clientes atendidos"
from sel join counts c using (ficha_id)
group by {grouping.identity}
order by 1
"""
    return _filtered(snap, filters, sql, _COVERAGE_COUNTS)


def uncovered(snap: db.Snapshot, filters: Filters) -> Result:
    """Every objective, product and client that hangs on nothing, named in full."""
    sueltos = """
sueltos as (
    select o.ficha_id, 'Objetivo ministerial sin objetivo institucional' as tipo, o.numero, o.descripcion
    from objetivos_ministeriales o join sel using (ficha_id)
    where not exists (select 1 from objetivo_institucional_ministerial l
                      where l.ficha_id = o.ficha_id and l.objetivo_ministerial = o.numero)
    union all
    select o.ficha_id, 'Objetivo institucional sin producto', o.numero, o.descripcion
    from objetivos_institucionales o join sel using (ficha_id)
    where not exists (select 1 from objetivo_institucional_producto l
                      where l.ficha_id = o.ficha_id and l.objetivo_institucional = o.numero)
    union all
    select p.ficha_id, 'Producto sin objetivo institucional', p.numero, p.nombre
    from productos p join sel using (ficha_id)
    where not exists (select 1 from objetivo_institucional_producto l
                      where l.ficha_id = p.ficha_id and l.producto = p.numero)
    union all
    select p.ficha_id, 'Producto sin clientes', p.numero, p.nombre
    from productos p join sel using (ficha_id)
    where not exists (select 1 from producto_cliente l where l.ficha_id = p.ficha_id and l.producto = p.numero)
    union all
    select c.ficha_id, 'Cliente sin producto', c.numero, c.descripcion
    from clientes c join sel using (ficha_id)
    where not exists (select 1 from producto_cliente l where l.ficha_id = c.ficha_id and l.cliente = c.numero)
)"""
    sql = f"""
select
    {_FICHA_IDENTITY},
    s.tipo as "Tipo",
    s.numero as "Número",
    s.descripcion as "Descripción",
    {_AS_WRITTEN}
from sueltos s join sel using (ficha_id)
order by {_FICHA_ORDER}, s.tipo, s.numero
"""
    return _filtered(snap, filters, sql, sueltos)


def link_matrix(snap: db.Snapshot, ficha_id: str) -> Result:
    """Institutional x ministerial objectives of one ficha, `Vinculado` true where linked (Sí / No on screen)."""
    sql = """
select
    oi.numero as "Objetivo institucional",
    om.numero as "Objetivo ministerial",
    oi.descripcion as "Descripción institucional",
    om.descripcion as "Descripción ministerial",
    l.ficha_id is not null as "Vinculado"
from objetivos_institucionales oi
join objetivos_ministeriales om on om.ficha_id = oi.ficha_id
left join objetivo_institucional_ministerial l
    on l.ficha_id = oi.ficha_id and l.objetivo_institucional = oi.numero and l.objetivo_ministerial = om.numero
where oi.ficha_id = $ficha_id
order by oi.numero, om.numero
"""
    return _run(snap, sql, ficha_id=ficha_id)


# -- gender and territorial ------------------------------------------------------------------------


def flags_by(snap: db.Snapshot, filters: Filters, level: str) -> Result:
    grouping = _group(level)
    sql = f"""
select
    {grouping.select()},
    count(*) as "Productos",
    count(*) filter (where p.aplica_enfoque_genero) as "Género: Sí",
    count(*) filter (where not p.aplica_enfoque_genero) as "Género: No",
    count(*) filter (where p.aplica_enfoque_genero is null) as "Género: Desconocido",
    100.0 * count(*) filter (where p.aplica_enfoque_genero) / count(*) as "% con enfoque de género",
    count(*) filter (where p.aplica_gestion_territorial) as "Territorial: Sí",
    count(*) filter (where not p.aplica_gestion_territorial) as "Territorial: No",
    count(*) filter (where p.aplica_gestion_territorial is null) as "Territorial: Desconocido",
    100.0 * count(*) filter (where p.aplica_gestion_territorial) / count(*) as "% con gestión territorial"
from productos p join sel using (ficha_id)
group by {grouping.identity}
order by 1
"""
    return _filtered(snap, filters, sql)


def _flag_text(column: str) -> str:
    """A Sí / No / Desconocido flag as the Spanish word users read."""
    return f"case {column} when true then 'Sí' when false then 'No' else 'Desconocido' end"


def flags_matrix(snap: db.Snapshot, filters: Filters) -> Result:
    sql = f"""
select
    {_flag_text("p.aplica_enfoque_genero")} as "Enfoque de género",
    {_flag_text("p.aplica_gestion_territorial")} as "Gestión territorial",
    count(*) as "Productos"
from productos p join sel using (ficha_id)
group by all
order by all
"""
    return _filtered(snap, filters, sql)


def products_with_flags(
    snap: db.Snapshot, filters: Filters, level: str = "ministerio", value: str | None = None
) -> Result:
    """Products with both flags; `value` keeps only one bar's group (the identity of its `level` equals it)."""
    grouping = _group(level)
    sql = f"""
select
    {_FICHA_IDENTITY},
    sel.partida as "Partida",
    p.numero as "Número",
    p.nombre as "Producto",
    {_flag_text("p.aplica_enfoque_genero")} as "Enfoque de género",
    {_flag_text("p.aplica_gestion_territorial")} as "Gestión territorial",
    p.presupuesto_miles as "Presupuesto (miles de $)",
    {_AS_WRITTEN}
from productos p join sel using (ficha_id)
where cast($grupo as varchar) is null or {grouping.identity} = $grupo
order by {_FICHA_ORDER}, p.numero
"""
    return _filtered(snap, filters, sql, grupo=value)


# -- clients ---------------------------------------------------------------------------------------


# How many clients, how many with a numeric quantification, and their sum: the same totals at every level.
_CLIENT_TOTALS = """count(c.numero) as "Clientes",
    count(c.cuantificacion) as "Clientes cuantificados",
    cast(sum(c.cuantificacion) as bigint) as "Suma de cuantificaciones\""""


def clients(snap: db.Snapshot, filters: Filters) -> Result:
    sql = f"""
select
    {_FICHA_IDENTITY},
    c.numero as "Número",
    c.descripcion as "Cliente",
    c.cuantificacion as "Cuantificación",
    c.cuantificacion_texto as "Cuantificación (texto de la ficha)",
    (select count(*) from producto_cliente l where l.ficha_id = c.ficha_id and l.cliente = c.numero)
        as "Productos que lo atienden",
    {_AS_WRITTEN}
from clientes c join sel using (ficha_id)
order by {_FICHA_ORDER}, c.numero
"""
    return _filtered(snap, filters, sql)


def clients_by_service(snap: db.Snapshot, filters: Filters) -> Result:
    """One row per ficha (a service in a year)."""
    sql = f"""
select
    {_FICHA_IDENTITY},
    {_CLIENT_TOTALS},
    max(c.cuantificacion) as "Mayor cuantificación",
    {_AS_WRITTEN}
from sel left join clientes c using (ficha_id)
group by all
order by "Suma de cuantificaciones" desc nulls last, "Servicio", "Servicio ID", "Año"
"""
    return _filtered(snap, filters, sql)


def clients_by_ministerio(snap: db.Snapshot, filters: Filters) -> Result:
    sql = f"""
select
    sel.ministerio_nombre as "Ministerio",
    count(distinct sel.ficha_id) as "Fichas",
    {_CLIENT_TOTALS}
from sel left join clientes c using (ficha_id)
group by all
order by "Suma de cuantificaciones" desc nulls last, "Ministerio"
"""
    return _filtered(snap, filters, sql)


def clients_by_product(snap: db.Snapshot, filters: Filters) -> Result:
    """Each product with the clients it reaches; links are aggregated per product before joining products."""
    atendidos = """
atendidos as (
    select
        l.ficha_id,
        l.producto,
        count(*) as clientes,
        cast(sum(c.cuantificacion) as bigint) as suma,
        string_agg(c.descripcion, '; ' order by c.numero) as nombres
    from producto_cliente l
    join clientes c on c.ficha_id = l.ficha_id and c.numero = l.cliente
    where l.ficha_id in (select ficha_id from sel)
    group by l.ficha_id, l.producto
)"""
    sql = f"""
select
    {_FICHA_IDENTITY},
    p.numero as "Número",
    p.nombre as "Producto",
    coalesce(a.clientes, 0) as "Clientes que atiende",
    a.suma as "Suma de cuantificaciones",
    a.nombres as "Clientes",
    {_AS_WRITTEN}
from productos p join sel using (ficha_id)
left join atendidos a on a.ficha_id = p.ficha_id and a.producto = p.numero
order by {_FICHA_ORDER}, p.numero
"""
    return _filtered(snap, filters, sql, atendidos)


# -- one ficha -------------------------------------------------------------------------------------


def ficha_header(snap: db.Snapshot, ficha_id: str) -> Result:
    sql = """
select ficha_id, anio, periodo_inicio, periodo_fin, ministerio, ministerio_nombre, partida, servicio,
       servicio_nombre, servicio_id, capitulo, ley_organica, mision, archivo, sha256
from fichas where ficha_id = $ficha_id
"""
    return _run(snap, sql, ficha_id=ficha_id)


def ficha_objetivos_ministeriales(snap: db.Snapshot, ficha_id: str) -> Result:
    sql = """
select o.numero as "Número", o.descripcion as "Descripción",
       (select string_agg(cast(l.objetivo_institucional as varchar), ', ' order by l.objetivo_institucional)
          from objetivo_institucional_ministerial l
         where l.ficha_id = o.ficha_id and l.objetivo_ministerial = o.numero) as "Objetivos institucionales que lo recogen"
from objetivos_ministeriales o where o.ficha_id = $ficha_id order by o.numero
"""
    return _run(snap, sql, ficha_id=ficha_id)


def ficha_objetivos_institucionales(snap: db.Snapshot, ficha_id: str) -> Result:
    sql = """
select o.numero as "Número", o.descripcion as "Descripción",
       (select string_agg(cast(l.objetivo_ministerial as varchar), ', ' order by l.objetivo_ministerial)
          from objetivo_institucional_ministerial l
         where l.ficha_id = o.ficha_id and l.objetivo_institucional = o.numero) as "Objetivos ministeriales vinculados",
       (select string_agg(cast(l.producto as varchar), ', ' order by l.producto)
          from objetivo_institucional_producto l
         where l.ficha_id = o.ficha_id and l.objetivo_institucional = o.numero) as "Productos vinculados"
from objetivos_institucionales o where o.ficha_id = $ficha_id order by o.numero
"""
    return _run(snap, sql, ficha_id=ficha_id)


def ficha_productos(snap: db.Snapshot, ficha_id: str) -> Result:
    sql = f"""
select p.numero as "Número", p.nombre as "Producto", p.descripcion as "Descripción",
       p.subproductos as "Subproductos",
       (select string_agg(c.numero || '. ' || c.descripcion, '; ' order by c.numero)
          from producto_cliente l join clientes c on c.ficha_id = l.ficha_id and c.numero = l.cliente
         where l.ficha_id = p.ficha_id and l.producto = p.numero) as "Clientes",
       {_flag_text("p.aplica_gestion_territorial")} as "Gestión territorial",
       {_flag_text("p.aplica_enfoque_genero")} as "Enfoque de género",
       p.presupuesto_miles as "Presupuesto (miles de $)",
       p.presupuesto_texto as "Presupuesto (texto de la ficha)"
from productos p where p.ficha_id = $ficha_id order by p.numero
"""
    return _run(snap, sql, ficha_id=ficha_id)


def ficha_clientes(snap: db.Snapshot, ficha_id: str) -> Result:
    sql = """
select c.numero as "Número", c.descripcion as "Cliente", c.cuantificacion as "Cuantificación",
       c.cuantificacion_texto as "Cuantificación (texto de la ficha)"
from clientes c where c.ficha_id = $ficha_id order by c.numero
"""
    return _run(snap, sql, ficha_id=ficha_id)


def ficha_flows(snap: db.Snapshot, ficha_id: str) -> Result:
    """Every link of one ficha as (stage, source number, target number), for the Sankey."""
    sql = """
select 'om-oi' as etapa, objetivo_ministerial as origen, objetivo_institucional as destino
from objetivo_institucional_ministerial where ficha_id = $ficha_id
union all
select 'oi-p', objetivo_institucional, producto from objetivo_institucional_producto where ficha_id = $ficha_id
union all
select 'p-c', producto, cliente from producto_cliente where ficha_id = $ficha_id
order by all
"""
    return _run(snap, sql, ficha_id=ficha_id)


# -- data quality and sources ----------------------------------------------------------------------


# The problems shown: warnings of the filtered fichas and every error, at the chosen levels, matching the search.
_PROBLEMS = """
shown as (
    select p.* from problemas p
    where (p.ficha_id is null or p.ficha_id in (select ficha_id from sel) or p.nivel = 'error')
      and list_contains($niveles, p.nivel)
      and ($texto = '' or contains(lower(p.mensaje || ' ' || p.archivo), lower($texto)))
)"""


def problems(snap: db.Snapshot, filters: Filters, niveles: list[str], text: str) -> Result:
    """Warnings of the filtered fichas plus every rejected file (which belongs to no ficha)."""
    sql = """
select
    archivo as "Archivo",
    nivel as "Nivel",
    seccion as "Sección",
    linea as "Línea",
    mensaje as "Mensaje",
    ficha_id as "Ficha"
from shown
order by archivo, linea nulls first
"""
    return _filtered(snap, filters, sql, _PROBLEMS, niveles=niveles, texto=text)


def problems_per_file(snap: db.Snapshot, filters: Filters, niveles: list[str], text: str) -> Result:
    sql = """
select
    archivo as "Archivo",
    count(*) filter (where nivel = 'error') as "Errores",
    count(*) filter (where nivel = 'advertencia') as "Advertencias"
from shown
group by archivo
order by "Errores" desc, "Advertencias" desc, archivo
"""
    return _filtered(snap, filters, sql, _PROBLEMS, niveles=niveles, texto=text)


def source_files(snap: db.Snapshot, filters: Filters) -> Result:
    sql = """
select archivo as "Archivo", sha256 as "SHA-256", ficha_id as "Ficha" from sel order by archivo
"""
    return _filtered(snap, filters, sql)


# -- evolution across years ------------------------------------------------------------------------

# Per ficha: its products and how many carry each flag.
_PRODUCT_COUNTS = """prod as (
    select
        p.ficha_id,
        count(*) as n,
        count(*) filter (where p.aplica_enfoque_genero) as genero,
        count(*) filter (where p.aplica_gestion_territorial) as territorial
    from productos p join sel using (ficha_id)
    group by p.ficha_id
)"""
TREND_LEVELS = {"total": "", "ministerio": 'sel.ministerio_nombre as "Ministerio",'}


def trend_by_year(snap: db.Snapshot, filters: Filters, level: str = "total") -> Result:
    """Per year (and per ministerio, by `level`): fichas, products and the shares a manager follows over time.

    Shares are pooled: products with «Sí» over every product of the year; linked ministerial objectives over
    every ministerial objective of the year.
    """
    if level not in TREND_LEVELS:
        raise ValueError(f"unknown level {level!r}")
    sql = f"""
select
    sel.anio as "Año",
    {TREND_LEVELS[level]}
    count(*) as "Fichas",
    cast(coalesce(sum(prod.n), 0) as bigint) as "Productos",
    100.0 * sum(prod.genero) / nullif(sum(prod.n), 0) as "% con enfoque de género",
    100.0 * sum(prod.territorial) / nullif(sum(prod.n), 0) as "% con gestión territorial",
    100.0 * sum(c.om_cubiertos) / nullif(sum(c.om), 0) as "% objetivos ministeriales vinculados"
from sel join counts c using (ficha_id) left join prod using (ficha_id)
group by all
order by all
"""
    return _filtered(snap, filters, sql, _COVERAGE_COUNTS, _PRODUCT_COUNTS)


def service_years(snap: db.Snapshot, filters: Filters) -> Result:
    """The filtered services (by identity) with their years, newest first, for the comparison pickers."""
    sql = """
select servicio_id, any_value(servicio_nombre) as servicio_nombre, list(anio order by anio desc) as anios
from sel
group by servicio_id
order by servicio_nombre, servicio_id
"""
    return _filtered(snap, filters, sql)


# Sections of the comparison, in the ficha's order.
SECTIONS = ["Misión", "Objetivo ministerial", "Objetivo institucional", "Producto", "Cliente"]


def service_items(snap: db.Snapshot, servicio_id: str, years: list[int]) -> Result:
    """Every item of one service in the chosen years, one row each, with what is not text in `detalle`."""
    sql = f"""
with elegidas as (
    select ficha_id, anio, mision from fichas where servicio_id = $servicio_id and list_contains($anios, anio)
)
select anio, 'Misión' as seccion, null::integer as numero, mision as texto, null::varchar as detalle
from elegidas where mision is not null
union all
select e.anio, 'Objetivo ministerial', o.numero, o.descripcion, null
from objetivos_ministeriales o join elegidas e using (ficha_id)
union all
select e.anio, 'Objetivo institucional', o.numero, o.descripcion, null
from objetivos_institucionales o join elegidas e using (ficha_id)
union all
select e.anio, 'Producto', p.numero, p.nombre || coalesce(' — ' || nullif(p.descripcion, ''), ''),
       'Gestión territorial: ' || {_flag_text("p.aplica_gestion_territorial")}
       || ' · Enfoque de género: ' || {_flag_text("p.aplica_enfoque_genero")}
from productos p join elegidas e using (ficha_id)
union all
select e.anio, 'Cliente', c.numero, c.descripcion,
       'Cuantificación: ' || coalesce(replace(format('{{:,}}', c.cuantificacion), ',', '.'),
                                      nullif(c.cuantificacion_texto, ''), '—')
from clientes c join elegidas e using (ficha_id)
order by anio, seccion, numero
"""
    return _run(snap, sql, servicio_id=servicio_id, anios=list(years))
