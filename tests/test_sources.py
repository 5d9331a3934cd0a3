"""sources.yaml: the documented example loads, and each kind of mistake names its line and field."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from flows.sources import SourcesError, check_sources, get_source, load_sources, normalize_cron

EXAMPLE = Path(__file__).resolve().parents[1] / "sources.example.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    return check_sources(write(tmp_path, text))


def test_example_file_is_valid_and_covers_every_kind(tmp_path):
    copy = tmp_path / "sources.yaml"
    shutil.copy(EXAMPLE, copy)
    sources = load_sources(copy)
    assert {s.kind for s in sources} == {"folder", "urls", "feed", "sitemap", "index_page"}
    folder = next(s for s in sources if s.kind == "folder")
    assert Path(folder.location) == tmp_path / "samples"  # relative to the file
    assert check_sources(copy) == [f"{copy}: source {folder.name!r}: folder "
                                   f"{tmp_path / 'samples'} not found"]
    (tmp_path / "samples").mkdir()
    assert check_sources(copy) == []


def test_fields_and_defaults(tmp_path):
    path = write(tmp_path, """
        sources:
          - name: berita-kota-contoh
            kind: feed
            location: https://contoh.go.id/feed/
            owner: Diskominfo Kota Contoh
            region: Kota Contoh
            schedule: "@daily"
          - name: laporan
            kind: folder
            location: /srv/laporan
    """)
    feed, folder = load_sources(path)
    assert feed.schedule == "0 0 * * *" and feed.timezone == "Asia/Jakarta"
    assert feed.owner == "Diskominfo Kota Contoh" and feed.region == "Kota Contoh"
    assert not feed.authoritative  # feeds roll; absence is not withdrawal
    assert folder.authoritative and folder.schedule is None and folder.enabled
    assert folder.patterns == ["**/*.pdf", "**/*.html", "**/*.htm", "**/*.txt"]
    assert get_source([feed, folder], "laporan") is folder
    with pytest.raises(KeyError, match="known: berita-kota-contoh, laporan"):
        get_source([feed, folder], "tidak-ada")


def test_link_pattern_filters_urls(tmp_path):
    (source,) = load_sources(write(tmp_path, r"""
        sources:
          - name: unduhan
            kind: index_page
            location: https://bappeda.contoh.go.id/unduhan
            link_pattern: '\.pdf$'
    """))
    assert source.matches("https://bappeda.contoh.go.id/f/laporan.pdf")
    assert not source.matches("https://bappeda.contoh.go.id/profil")


@pytest.mark.parametrize(
    ("yaml_text", "line", "field", "reason"),
    [
        ("  - name: a\n    kind: feeed\n    location: https://x.go.id/f\n",
         3, "sources[0] (a).kind", "not 'feeed'"),
        ("  - name: Laporan Kita\n    kind: folder\n    location: /srv\n",
         2, "sources[0] (Laporan Kita).name", "not a valid name"),
        ("  - name: a\n    kind: feed\n", 2, "sources[0] (a)", "needs 'location'"),
        ("  - name: a\n    kind: sitemap\n    location: ftp://x.go.id/s.xml\n",
         2, "sources[0] (a)", "not an http(s) URL"),
        ("  - name: a\n    kind: urls\n    urls:\n      - https://x.go.id/a\n      - x.go.id/b\n",
         6, "sources[0] (a).urls.1", "'x.go.id/b' is not an http(s) URL"),
        ("  - name: a\n    kind: folder\n    location: /srv\n    schedul: '0 1 * * *'\n",
         5, "sources[0] (a).schedul", "unknown field"),
        ("  - name: a\n    kind: folder\n    location: /srv\n    schedule: '0 25 * * *'\n",
         5, "sources[0] (a).schedule", "not a valid cron expression"),
        ("  - name: a\n    kind: folder\n    location: /srv\n    schedule: 'tiap malam'\n",
         5, "sources[0] (a).schedule", "need 5 fields"),
        ("  - name: a\n    kind: folder\n    location: /srv\n    timezone: Asia/Bandung\n",
         5, "sources[0] (a).timezone", "unknown time zone"),
        ("  - name: a\n    kind: index_page\n    location: https://x.go.id/\n",
         2, "sources[0] (a)", "needs 'link_pattern'"),
        ("  - name: a\n    kind: feed\n    location: https://x.go.id/f\n    link_pattern: '(pdf'\n",
         5, "sources[0] (a).link_pattern", "not a valid regular expression"),
        ("  - name: a\n    kind: feed\n    location: https://x.go.id/f\n    globs: ['*.pdf']\n",
         2, "sources[0] (a)", "'globs' is only for kind 'folder'"),
        ("  - kind: folder\n    location: /srv\n", 2, "sources[0].name", "required field"),
        ("  - just-a-string\n", 2, "sources[0]", "must be a mapping"),
    ],
)
def test_each_mistake_names_line_and_field(tmp_path, yaml_text, line, field, reason):
    problems = problems_of(tmp_path, "sources:\n" + yaml_text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{tmp_path / 'sources.yaml'}:{line}: {field}: ")
    assert reason in problems[0]


def test_all_problems_are_reported_together(tmp_path):
    path = write(tmp_path, """
        sources:
          - name: satu
            kind: folder
            location: /srv/a
          - name: satu
            kind: folder
            location: /srv/b
          - name: dua
            kind: feed
    """)
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    problems = caught.value.problems
    assert len(problems) == 2
    assert f"{path}:5: sources[1] (satu).name: duplicate source name (also sources[0])" in problems
    assert any(p.startswith(f"{path}:8: sources[2] (dua): ") for p in problems)


def test_yaml_syntax_error_names_the_line(tmp_path):
    problems = problems_of(tmp_path, """
        sources:
          - name: a
            kind: [folder
          - name: b
    """)
    assert len(problems) == 1
    assert ": YAML syntax error: " in problems[0] and "started on line 3" in problems[0]


def test_file_shape_errors(tmp_path):
    assert problems_of(tmp_path, "- name: a\n") == [
        f"{tmp_path / 'sources.yaml'}:1: sources: the file needs a top-level 'sources:' list"
    ]
    assert "unknown top-level key" in problems_of(tmp_path, "sources: []\nsumber: []\n")[0]
    missing = check_sources(tmp_path / "tidak-ada.yaml")
    assert len(missing) == 1 and "cannot read" in missing[0]


def test_cron_aliases_and_validation():
    assert normalize_cron("@hourly") == "0 * * * *"
    assert normalize_cron("  30  6 * *   1-5 ") == "30 6 * * 1-5"
    with pytest.raises(ValueError, match="5 fields"):
        normalize_cron("0 0 * * * *")
    with pytest.raises(ValueError, match="not a valid cron"):
        normalize_cron("* * 32 * *")
