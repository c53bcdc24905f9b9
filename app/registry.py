"""The dashboard's pages, listed once: the navigation, the download names, the tests and the benchmark read it.

To add a page: write `pages/<slug>.py` opening with `ui.start_page("<slug>")`, and add a `Page` below in the
order the sidebar shows it. Inicio is the one page that is a function of the entrypoint, not a file.
"""

from dataclasses import dataclass

ENTRYPOINT = "dashboard.py"  # the script Streamlit runs for every page
SERVER = "server.py"  # what `streamlit run` starts: the entrypoint's server, with app/page_hint.py
PAGES_DIR = "pages"


@dataclass(frozen=True)
class Page:
    slug: str  # the page's URL path, its file's stem, and the name of its download files
    title: str  # navigation label; also how the page's workbook names it
    icon: str
    short: str  # label in the benchmark's table
    heading: str = ""  # the title shown on the page, when it differs from `title`

    @property
    def is_home(self) -> bool:
        return self.slug == HOME_SLUG

    @property
    def file(self) -> str:
        """The script that draws the page, relative to the project root (AppTest's `switch_page` takes it)."""
        return ENTRYPOINT if self.is_home else f"{PAGES_DIR}/{self.slug}.py"

    @property
    def url_path(self) -> str:
        """The path after the server's address: Inicio is the root."""
        return "" if self.is_home else self.slug

    @property
    def page_title(self) -> str:
        return self.heading or self.title


HOME_SLUG = "inicio"
PAGES = (
    Page(HOME_SLUG, "Inicio", ":material/home:", "Inicio", "Fichas de Definiciones Estratégicas (Formulario A1)"),
    Page("cobertura", "Cobertura de objetivos", ":material/account_tree:", "Cobertura"),
    Page(
        "genero_territorial", "Enfoque de género y gestión territorial", ":material/diversity_3:", "Género y territorio"
    ),
    Page("clientes", "Clientes y cuantificación", ":material/groups:", "Clientes"),
    Page("evolucion", "Evolución", ":material/timeline:", "Evolución", "Evolución entre años"),
    Page("ficha", "Ficha", ":material/description:", "Ficha"),
    Page("calidad", "Calidad de datos", ":material/rule:", "Calidad"),
)
HOME = PAGES[0]
FILE_PAGES = PAGES[1:]  # the pages that are scripts under pages/


def by_slug(slug: str) -> Page:
    for page in PAGES:
        if page.slug == slug:
            return page
    raise KeyError(f"no page {slug!r} in app/registry.py")
