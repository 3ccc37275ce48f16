"""PDF files: text per page, page numbers on sections, metadata from the info dictionary;
a scanned or damaged PDF is a warning, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.metadata.dates import DateSource
from search.engine import search, show
from search.request import SearchRequest
from tests.helpers import FileFactory


def make_pdf(pages: list[list[str]], info: dict[str, str] | None = None) -> bytes:
    """A minimal PDF, one text line per entry of each page (Helvetica)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        shown = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
        stream = f"BT /F1 12 Tf 72 720 Td {shown} ET" if lines else ""
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    if info:
        objects.append("<< " + " ".join(f"/{k} ({v})" for k, v in info.items()) + " >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"/Size {len(objects) + 1} /Root 1 0 R" + (f" /Info {len(objects)} 0 R" if info else "")
    out += f"trailer\n<< {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


REPORT = make_pdf(
    [["Working together for human rights", "The OSCE and OHCHR signed a declaration."],
     ["Monitoring elections in Ukraine.", "Janez Lenarcic attended."]],
    {"Title": "Joint report on cooperation", "Author": "ODIHR", "CreationDate": "D:20140612093000Z"},
)


def test_pdf_pages_become_sections_with_their_page_numbers(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("report.pdf", REPORT)
    report = build_index(tmp_path / "docs", tmp_path / "index")
    assert (report.added, report.skipped) == (1, ())
    doc = show(tmp_path / "index", "report.pdf").document
    assert [s.heading for s in doc.sections] == ["Page 1", "Page 2"]
    assert "signed a declaration" in doc.sections[0].text and "Monitoring elections" in doc.sections[1].text
    meta = doc.metadata
    assert meta.title == "Joint report on cooperation"
    assert (meta.date, meta.date_source) == ("2014-06-12", DateSource.METADATA)
    assert {"OSCE", "OHCHR"} <= set(meta.organisations)
    hit = search(tmp_path / "index", SearchRequest("elections")).results[0]
    assert hit.doc_id == "report.pdf" and hit.sections[0].heading == "Page 2"


def test_scanned_and_damaged_pdfs_are_skipped_with_a_reason(
        make_file: FileFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_file("scan.pdf", make_pdf([[], []]))
    make_file("broken.pdf", REPORT[:200])
    make_file("fine.pdf", make_pdf([["Only page, no info dictionary."]]))
    report = build_index(tmp_path / "docs", tmp_path / "index")
    assert report.added == 1
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert "scanned PDF without a text layer" in reasons["scan.pdf"]
    assert reasons["broken.pdf"].startswith("not a readable PDF")
    assert show(tmp_path / "index", "fine.pdf").document.metadata.title == "Only page, no info dictionary."
    assert capsys.readouterr().err == ""  # pypdf's own complaints about the damage stay quiet
