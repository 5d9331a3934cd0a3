"""Numbers with their unit and subject: counts ("1.250 orang"), percentages ("98,5 persen"),
Rupiah ("Rp 1,2 miliar"), index scores (IKM, SAKIP, IID, "nilai 84,88"), audit opinions (WTP),
and the cells of numeric tables in PDFs (performance indicators: target, realisation, achievement).
"""

from __future__ import annotations

import re

from extract.facts.context import DocContext
from extract.facts.dates import find_dates
from extract.facts.model import Metric, Site
from extract.facts.numbers import NUMBER, parse_amount, parse_number
from extract.facts.text import evidence
from extract.model import Table

_N = rf"(?P<n>{NUMBER})"
_SCALE = r"(?:\s*(?P<scale>ribu|juta|miliar|milyar|triliun|trilyun)\b)?"
RUPIAH = re.compile(rf"\bRp\.?\s*{_N}{_SCALE}", re.I)
PERCENT = re.compile(rf"(?<![\d.,]){_N}\s*(?:%|persen\b)", re.I)
COUNT = re.compile(
    rf"(?<![\d.,/]){_N}{_SCALE}\s+(?P<unit>orang|jiwa|desa|kelurahan|kecamatan|penduduk|"
    r"KK|sekolah|puskesmas|inovasi|aplikasi|UMKM|pelaku\s+usaha)\b(?!\s+peserta)",
    re.I,
)
SCALED_MONEY = re.compile(
    rf"(?<![\d.,/]){_N}\s*(?P<scale>miliar|milyar|triliun|trilyun|juta)\b(?!\s+(?:jiwa|orang))", re.I
)
INDEX = re.compile(
    rf"\b(?P<ind>IKM|SAKIP|IID|IPM|IPP|IRB|SPBE|LPPD|EKPPD|Indeks\s+(?:[A-Z][\w]*\s*){{1,4}}|nilai)"
    rf"\b[^.,]{{0,40}}?(?:sebesar|mencapai|dengan\s+nilai|nilai|skor|yaitu|:)?\s*"
    rf"(?<!tahun )(?<![\d.,])(?!(?:19|20)\d{{2}}\b){_N}"
    r"(?!\s*(?:%|persen|juta|ribu|miliar|triliun|orang|jiwa|tahun))",
)
GRADE = re.compile(
    r"\b(?:predikat|nilai|kategori)\s+(?P<grade>AA|A|BB|B|CC|C)\b(?:\s+(?:untuk|dalam|pada)\s+)?"
    r"(?P<ind>SAKIP|RB|Reformasi\s+Birokrasi)?",
    re.I,
)
OPINION = re.compile(
    r"\b(?:opini|predikat|meraih|mendapat\w*|memperoleh|diganjar|raih\w*)\b[^.]{0,25}?"
    r"\b(?P<op>WTP|WDP|TMP|Wajar\s+Tanpa\s+Pengecualian)\b",
    re.I,
)
MONEY_CONTEXT = re.compile(
    r"\b(?:rupiah|pendapatan|anggaran|APBD|investasi|PAD|dana|biaya|belanja|nilai\s+investasi)\b", re.I
)
PERIOD_AFTER = re.compile(r"^[^.;]{0,30}?\b(?:tahun|TA\.?)?\s*((?:19|20)\d{2})\b", re.I)
INDICATOR_WORDS = 6
FILLER_WORDS = frozenset(
    re.findall(
        r"\w+", "sebesar mencapai sekitar menjadi dari hingga sebanyak yakni yaitu dengan hanya adapun"
    )
)
CODE_HEADER = re.compile(r"\b(?:kode|no|nomor|nip|kode\s+pulau)\b", re.I)
PERFORMANCE_HEADER = re.compile(r"indikator|sasaran|kinerja", re.I)
# Headers that say a table measures something (in any language): a table without one in a document
# that is not Indonesian is some other kind of table (a list of notices, prices, rates …).
INDICATOR_HEADER = re.compile(
    r"\b(?:indikator|indicator|target|realisasi|reali[sz]ation|capaian|achievement|satuan|sasaran|"
    r"kinerja|performance|baseline)\b",
    re.I,
)
# Words before a number that say when, not what ("Selasa (12/3/2019) -", "pada tahun").
WHEN_WORDS = frozenset(
    re.findall(r"\w+", "senin selasa rabu kamis jumat sabtu minggu pada tanggal tahun bulan hari pukul wib")
)


def _indicator_before(text: str, start: int) -> str:
    """The words before a number, back to the clause's start or the previous number; dates,
    weekdays and bare numbers say when or how much, not what, and are left out."""
    before = text[:start]
    for mention in reversed(find_dates(before)):
        before = before[: mention.span[0]] + " " + before[mention.span[1] :]
    clause = re.split(r"[,;:.“”\"]\s|\d\s+\w+\s", before)[-1]
    words = re.findall(r"[\w\-/()]+", clause)
    words = [
        w for w in words
        if w.lower() not in FILLER_WORDS and w.lower() not in WHEN_WORDS and re.search(r"[^\W\d_]", w)
    ]  # fmt: skip
    return " ".join(words[-INDICATOR_WORDS:]) or "jumlah"


def _period(text: str, end: int) -> str | None:
    found = PERIOD_AFTER.match(text[end:])
    return found.group(1) if found else None


def sentence_metrics(text: str) -> list[tuple[tuple[int, int], float | None, str, str, float, str | None]]:
    """(span, value, unit, indicator, confidence, text value) for each number of a sentence, the
    more specific kinds first (Rupiah, percent, index, count, money by context, grade, opinion)."""
    found = []
    for m in RUPIAH.finditer(text):
        value = parse_amount(m.group("n"), m.group("scale"))
        found.append((m.span(), value, "IDR", _indicator_before(text, m.start()), 0.8, None))
    for m in PERCENT.finditer(text):
        found.append(
            (m.span(), parse_number(m.group("n")), "%", _indicator_before(text, m.start()), 0.8, None)
        )
    for m in INDEX.finditer(text):
        indicator = " ".join(m.group("ind").split())
        if not (indicator == "nilai" and re.match(r"\s*investasi", text[m.end("ind") :])):
            found.append((m.span(), parse_number(m.group("n")), "indeks", indicator, 0.7, None))
    for m in COUNT.finditer(text):
        value = parse_amount(m.group("n"), m.group("scale"))
        unit = m.group("unit").lower()
        found.append((m.span(), value, unit, _indicator_before(text, m.start()), 0.75, None))
    if MONEY_CONTEXT.search(text):
        for m in SCALED_MONEY.finditer(text):
            value = parse_amount(m.group("n"), m.group("scale"))
            found.append((m.span(), value, "IDR", _indicator_before(text, m.start()), 0.6, None))
    for m in GRADE.finditer(text):
        indicator = " ".join((m.group("ind") or "predikat").split())
        found.append((m.span(), None, "predikat", indicator, 0.6, m.group("grade").upper()))
    for m in OPINION.finditer(text):
        opinion = "WTP" if m.group("op").lower().startswith("wajar") else m.group("op")
        found.append((m.span("op"), None, "opini BPK", "opini audit laporan keuangan", 0.7, opinion))
    kept: list = []
    for item in found:
        (a, b) = item[0]
        if not any(x < b and a < y for (x, y), *_ in kept):
            kept.append(item)
    return kept


def text_metrics(ctx: DocContext, site: Site | None) -> list[Metric]:
    """Metrics written in the sentences of the document; the host region is their subject."""
    subject = site.region if site else None
    metrics: list[Metric] = []
    for sentence in ctx.sentences:
        text = sentence.text
        for (_, end), value, unit, indicator, confidence, text_value in sentence_metrics(text):
            metrics.append(Metric(
                subject, indicator, value, unit, _period(text, end), sentence.page, evidence(text),
                confidence, text_value,
            ))  # fmt: skip
    return metrics


def _despace(text: str) -> str:
    """Header text with letter-spaced words joined ("K O D E" → "KODE")."""
    return re.sub(r"\b(?:[A-Za-z] ){2,}[A-Za-z]\b", lambda m: m.group(0).replace(" ", ""), text)


def _cell_number(cell: str | None) -> tuple[float | None, str | None]:
    if not cell:
        return None, None
    value = cell.strip()
    unit = "%" if value.endswith("%") else ("IDR" if value.lower().startswith("rp") else None)
    value = re.sub(r"^Rp\.?\s*|\s*%$", "", value, flags=re.I).strip()
    return parse_number(value), unit


def _header_unit(header: str) -> str | None:
    low = header.lower()
    if "km2" in low.replace(" ", "") or "km²" in low:
        return "km²"
    if "%" in low or "persen" in low or "capaian" in low:
        return "%"
    if "rp" in low.split() or "rupiah" in low:
        return "IDR"
    if "jiwa" in low or "penduduk" in low:
        return "jiwa"
    return None


def _has_text(rows: list[list[str]], column: int) -> bool:
    return any(r[column] and _cell_number(r[column])[0] is None for r in rows)


def table_metrics(
    table: Table, site: Site | None, default_period: str | None, indonesian: bool = True
) -> list[Metric]:
    """One metric per numeric cell of a table with a header: row label × column header.

    Outside Indonesian documents only tables whose header names an indicator, target, realisation
    or achievement are read."""
    rows = [[(c or "").strip() for c in row] for row in table.rows if row]
    if len(rows) < 2:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    numeric = lambda c: _cell_number(c)[0] is not None  # noqa: E731
    body_start = next((i for i, r in enumerate(rows) if sum(numeric(c) for c in r[1:]) >= 1 and i > 0), None)
    if body_start is None:
        return []
    headers = [
        _despace(" ".join(rows[i][j] for i in range(body_start) if rows[i][j])).strip() for j in range(width)
    ]
    if not indonesian and not any(INDICATOR_HEADER.search(h) for h in headers):
        return []
    label_col = next(
        (j for j in range(width) if not CODE_HEADER.search(headers[j]) and _has_text(rows[body_start:], j)),
        None,
    )
    if label_col is None:
        return []
    performance = PERFORMANCE_HEADER.search(headers[label_col]) is not None
    metrics = []
    for row in rows[body_start:]:
        label = row[label_col]
        if not label or numeric(label):
            continue
        for j, cell in enumerate(row):
            if j == label_col or CODE_HEADER.search(headers[j]) or not headers[j]:
                continue
            value, cell_unit = _cell_number(cell)
            if value is None:
                continue
            unit = cell_unit or _header_unit(headers[j])
            if performance:
                subject, indicator = (site.region if site else None), f"{label} ({headers[j]})"
            else:
                subject, indicator = label, headers[j]
            metrics.append(Metric(subject, indicator, value, unit, default_period, table.page,
                                  evidence(" | ".join(c for c in row if c)), 0.8))  # fmt: skip
    return metrics


def extract_metrics(ctx: DocContext, site: Site | None) -> list[Metric]:
    """Metrics from the text of an Indonesian document and from its tables (any document's tables
    of indicators)."""
    indonesian = ctx.indonesian
    metrics = text_metrics(ctx, site) if indonesian else []
    period = None
    for table in ctx.doc.tables:
        metrics += table_metrics(table, site, period, indonesian)
    return metrics
