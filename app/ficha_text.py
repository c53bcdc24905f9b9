"""One ficha's sections as plain text a person reads, for the Ficha page (st.text: never markdown nor HTML).

Pure functions of the query frames: products name their clients, a client is one line with its quantity once,
links are sentences ("Objetivo institucional 2 → Producto 3").
"""

import pandas as pd

from formatting import integer

# Link stage (app/queries.py `ficha_flows`) -> what its two ends are called.
STAGES = {
    "om-oi": ("Objetivo ministerial", "Objetivo institucional"),
    "oi-p": ("Objetivo institucional", "Producto"),
    "p-c": ("Producto", "Cliente"),
}
PLURALS = {
    "Objetivo ministerial": "Objetivos ministeriales",
    "Objetivo institucional": "Objetivos institucionales",
    "Producto": "Productos",
    "Cliente": "Clientes",
}


def quantity(number, text) -> str:
    """The quantity as the ficha gives it, once: `828.708`, or its text when that is not a number."""
    if pd.notna(number):
        return integer(number)
    return str(text) if pd.notna(text) and str(text).strip() else "sin cuantificar"


def client_line(row) -> str:
    """`10. Habitantes de la Región de Los Lagos (828.708)`."""
    return f"{row['Número']}. {row['Cliente']} ({quantity(row['Cuantificación'], row['Cuantificación (texto de la ficha)'])})"


def products_text(productos: pd.DataFrame, clientes: pd.DataFrame, flows: pd.DataFrame) -> list[str]:
    """One block per product: name, description, both approaches, then its clients by name, one a line."""
    by_number = {row["Número"]: row for _, row in clientes.iterrows()}
    served = flows[flows["etapa"] == "p-c"]
    blocks = []
    for _, product in productos.iterrows():
        lines = [f"{product['Número']}. {product['Producto']}"]
        if _given(product.get("Descripción")):
            lines.append(f"    {product['Descripción']}")
        if _given(product.get("Subproductos")):
            lines.append(f"    Subproductos: {product['Subproductos']}")
        budget = product.get("Presupuesto (miles de $)")
        if pd.notna(budget) or _given(product.get("Presupuesto (texto de la ficha)")):
            text = product.get("Presupuesto (texto de la ficha)")
            lines.append(f"    Presupuesto: {f'{integer(budget)} miles de $' if pd.notna(budget) else text}")
        lines.append(
            f"    Enfoque de género: {product['Enfoque de género']} · Gestión territorial: {product['Gestión territorial']}"
        )
        numbers = sorted(served.loc[served["origen"] == product["Número"], "destino"])
        if numbers:
            lines.append("    Clientes:")
            lines += [
                f"      · {client_line(by_number[n])}" if n in by_number else f"      · {n}. (cliente no listado)"
                for n in numbers
            ]
        else:
            lines.append("    Clientes: la ficha no le asigna clientes.")
        blocks.append("\n".join(lines))
    return blocks


def _given(value) -> bool:
    return value is not None and pd.notna(value) and bool(str(value).strip())


def link_sentences(flows: pd.DataFrame) -> pd.DataFrame:
    """Every link as `Desde` → `Hacia` in words, in the order of the stages, with the sentence that reads it."""
    rows = []
    for stage, (left, right) in STAGES.items():
        for origin, target in flows.loc[flows["etapa"] == stage, ["origen", "destino"]].itertuples(index=False):
            rows.append((f"{left} {origin}", f"{right} {target}", f"{left} {origin} → {right} {target}"))
    return pd.DataFrame(rows, columns=["Desde", "Hacia", "Vínculo"])


def link_blocks(flows: pd.DataFrame) -> list[str]:
    """One block per stage, one line per origin: `Objetivo institucional 2 → Productos 1, 3`."""
    blocks = []
    for stage, (left, right) in STAGES.items():
        links = flows[flows["etapa"] == stage]
        if links.empty:
            continue
        lines = [f"{PLURALS[left]} → {PLURALS[right].lower()}"]
        for origin, targets in links.groupby("origen", sort=True)["destino"]:
            ends = sorted(targets)
            noun = right if len(ends) == 1 else PLURALS[right]
            lines.append(f"    {left} {origin} → {noun} {', '.join(str(n) for n in ends)}")
        blocks.append("\n".join(lines))
    return blocks
