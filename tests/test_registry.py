"""The page registry is the one list of pages: it matches the files under pages/, and each file opens as itself."""

from helpers import ROOT

from app import registry


def test_every_page_file_is_registered_once_and_opens_with_its_own_slug():
    files = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / registry.PAGES_DIR).glob("*.py"))
    assert sorted(page.file for page in registry.FILE_PAGES) == files
    assert len({page.slug for page in registry.PAGES}) == len(registry.PAGES)
    for page in registry.FILE_PAGES:
        assert f'ui.start_page("{page.slug}")' in (ROOT / page.file).read_text(encoding="utf-8"), page.file


def test_inicio_is_the_entrypoint_at_the_root_url():
    assert registry.HOME.file == registry.ENTRYPOINT and registry.HOME.url_path == ""
    assert [page.url_path for page in registry.FILE_PAGES] == [page.slug for page in registry.FILE_PAGES]
    assert registry.by_slug("ficha").page_title == "Ficha"
