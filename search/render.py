"""Turn results into output: terminal text (Rich), JSON or CSV. The only module that
knows output formats; highlights are styled by offset, never by markup in the text."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.progress import Progress, TaskID
    from rich.segment import Segment
    from rich.text import Text

    from indexer.build import BuildReport
    from indexer.metadata.model import Metadata
    from search.opensearch.export import ExportReport
    from search.results import (
        Copy,
        DocumentHit,
        Explain,
        FacetResult,
        IndexStats,
        Ranking,
        SearchResult,
        ShownDocument,
        TermScore,
    )

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
"""Hebrew, Arabic, Syriac, Thaana and N'Ko letters, and Arabic presentation forms."""

BAR_WIDTH = 24
MIN_BAR = 8
"""In a narrow terminal, facet bars shrink to this width before their labels are cut."""


class OutputFormat(str, Enum):
    """Output formats of `accord search`."""

    TEXT = "text"
    JSON = "json"
    CSV = "csv"


class RunFormat(str, Enum):
    """Output formats of `accord batch`."""

    TREC = "trec"
    JSONL = "jsonl"


# --- plain values -------------------------------------------------------------------------


def metadata_dict(meta: Metadata) -> dict[str, Any]:
    """A document's metadata as in the JSON contract, then any extra metadata it was given."""
    standard = {
        "issuer": list(meta.issuers),
        "issuer_source": meta.issuer_source.value,
        "title": meta.title,
        "title_source": meta.title_source.value,
        "date": meta.date,
        "date_source": meta.date_source.value,
        "date_precision": date_precision(meta.date, meta.year),
        "year": meta.year,
        "organisations": list(meta.organisations),
        "people": list(meta.people),
        "places": list(meta.places),
        "type": meta.doc_type,
        "language": meta.language,
    }
    linked = {"translation": meta.translation} if meta.translation else {}
    return {**standard, **linked, **{k: v for k, v in meta.extra if k not in standard and k != "score"}}


def date_precision(date: str | None, year: int | None) -> str | None:
    """How much of a date is known: "day", "month", "year", or None."""
    if date:
        return ("year", "month", "day")[min(date.count("-"), 2)]
    return "year" if year else None


def shown_date(meta: Metadata) -> str | None:
    """A document's date as shown to a reader: "2021-02-24", "2021", "≈2024" when it was
    inferred from the dates the text mentions; None when it has none."""
    date = meta.date or (str(meta.year) if meta.year else None)
    return f"≈{date}" if date and meta.date_source.value == "inferred" else date


def facets_dict(facets: dict[str, FacetResult]) -> dict[str, list[dict[str, Any]]]:
    """Facet counts as {field: [{"value", "count"}, ...]}, `"selected": true` on the values
    the filters chose."""
    return {
        name: [{"value": c.value, "count": c.count, **({"selected": True} if c.selected else {})}
               for c in result.counts]
        for name, result in facets.items()
    }


def hit_dict(hit: DocumentHit) -> dict[str, Any]:
    """One result document as in the JSON contract."""
    return {
        "doc_id": hit.doc_id,
        "path": hit.path,
        **metadata_dict(hit.metadata),
        "score": hit.score,
        "sections": [
            {
                "section_id": s.section_id,
                "heading": s.heading,
                "score": s.score,
                "snippet": s.snippet.text,
                "highlights": [list(span) for span in s.snippet.highlights],
                **({"terms": [term_dict(t) for t in s.terms]} if s.terms else {}),
            }
            for s in hit.sections
        ],
        **({"translations": [doc_id for doc_id, _ in hit.translations]} if hit.translations else {}),
        "copies": [copy_dict(copy) for copy in hit.copies],
        **({"signatories": list(hit.metadata.issuers)} if hit.joint else {}),
    }


def copy_dict(copy: Copy) -> dict[str, Any]:
    """Another document holding the same text: its id, issuers and date."""
    return {"doc_id": copy.doc_id, "issuer": list(copy.issuers), "date": copy.date}


def term_dict(term: TermScore) -> dict[str, Any]:
    """A matched term's part of a section score (--explain)."""
    return {"field": term.field, "term": term.term, "from": term.written, "via": term.via, "score": term.score}


def explain_dict(explain: Explain) -> dict[str, Any]:
    """How a query was widened and documents scored (--explain)."""
    return {
        "document_score": explain.document_score,
        "aliases": [{"written": e.written, "organisation": e.organisation, "aliases": list(e.aliases)}
                    for e in explain.aliases],
        "feedback": [{"term": term, "boost": round(boost, 4)} for term, boost in explain.feedback],
    }


def search_dict(result: SearchResult) -> dict[str, Any]:
    """A search result as in the JSON contract."""
    return {
        "query": result.query,
        "match": result.match.value,
        "page": result.page,
        "limit": result.limit,
        "total_documents": result.total_documents,
        "total_sections": result.total_sections,
        "total_texts": result.total_texts,
        "results": [hit_dict(hit) for hit in result.results],
        "facets": facets_dict(result.facets),
        "suggestion": result.suggestion,
        "notice": result.notice,
        **({"explain": explain_dict(result.explain)} if result.explain else {}),
    }


def document_dict(shown: ShownDocument) -> dict[str, Any]:
    """A document for `accord show --json`, with the other language versions of its text."""
    doc = shown.document
    return {
        "doc_id": doc.doc_id,
        "path": str(doc.path),
        **metadata_dict(doc.metadata),
        "sections": [
            {"section_id": f"{doc.doc_id}#{s.position}", "heading": s.heading, "text": s.text}
            for s in doc.sections
        ],
        "translations": [t.doc_id for t in shown.translations],
        "copies": [copy_dict(copy) for copy in shown.copies],
        **({"signatories": list(doc.metadata.issuers)} if shown.joint else {}),
        "cites": list(doc.metadata.symbols),
        "cited_by": list(shown.cited_by),
    }


def facets_payload(result: SearchResult) -> dict[str, Any]:
    """What `accord facets --json` prints: the query, its document count and its facets."""
    return {"query": result.query, "total_documents": result.total_documents, "facets": facets_dict(result.facets)}


def report_dict(report: BuildReport) -> dict[str, Any]:
    """An indexing run for `accord index --json`."""
    return {
        "added": report.added,
        "updated": report.updated,
        "removed": report.removed,
        "unchanged": report.unchanged,
        "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
        "warnings": [{"path": w.path, "reason": w.reason} for w in report.warnings],
        "seconds": report.seconds,
    }


def stats_dict(stats: IndexStats) -> dict[str, Any]:
    """Index statistics for `accord stats --json`."""
    return {
        "documents": stats.documents,
        "sections": stats.sections,
        "index_bytes": stats.index_bytes,
        "schema_version": stats.schema_version,
        "corpus": stats.corpus,
        "updated": stats.updated,
        "furniture_lines": stats.furniture_lines,
        "texts": stats.texts,
        "copy_groups": stats.copy_groups,
        "joint_statements": stats.joint_statements,
        "folder_priors": stats.folder_priors,
        "facet_values": stats.facet_values,
    }


def to_json(value: dict[str, Any]) -> str:
    """JSON text, UTF-8 characters kept as they are."""
    return json.dumps(value, ensure_ascii=False, indent=2)


CSV_HEADER = ("rank", "doc_id", "path", "title", "issuer", "date", "year", "organisations",
              "type", "score", "section_id", "heading", "snippet")


def csv_row(rank: int, hit: DocumentHit) -> list[Any]:
    """One result document as a CSV row under CSV_HEADER (its best section)."""
    best = hit.sections[0] if hit.sections else None
    meta = hit.metadata
    return [rank, hit.doc_id, hit.path, meta.title or "", "; ".join(meta.issuers), meta.date or "", meta.year or "",
            "; ".join(meta.organisations), meta.doc_type or "", hit.score,
            best.section_id if best else "", (best.heading or "") if best else "", best.snippet.text if best else ""]


def search_csv(result: SearchResult) -> str:
    """One CSV row per result document (its best section)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    first_rank = (result.page - 1) * result.limit + 1
    for rank, hit in enumerate(result.results, start=first_rank):
        writer.writerow(csv_row(rank, hit))
    return buffer.getvalue()


# --- terminal --------------------------------------------------------------------------------


def terminal_console(width: int, color_system: str | None, no_color: bool, is_terminal: bool) -> Console:
    """A console that draws as `accord search` does in a terminal of that width, colours,
    wish for none and kind (for a server answering the command line)."""
    from rich.console import Console

    return Console(file=io.StringIO(), width=width, color_system=color_system,  # type: ignore[arg-type]
                   no_color=no_color, force_terminal=is_terminal, highlight=False, legacy_windows=False)


def search_output(result: SearchResult, fmt: OutputFormat, console: Console | None
                  ) -> tuple[str, tuple[str, ...]]:
    """What `accord search` prints in the format asked for: its standard output (the text
    drawn for `console`'s width and colours, or JSON, or CSV) and the notices it says on
    standard error (a notice and a suggestion, which the text shows itself)."""
    if fmt is OutputFormat.JSON:
        output = to_json(search_dict(result)) + "\n"
    elif fmt is OutputFormat.CSV:
        output = search_csv(result)
    else:
        assert console is not None, "text is drawn for a console"
        with console.capture() as captured:
            print_search(console, result)
        return captured.get(), ()
    notices = ((f"notice: {result.notice}",) if result.notice else ()) + (
        (f"Did you mean: {result.suggestion}?",) if result.suggestion else ())
    return output, notices


def print_search(console: Console, result: SearchResult) -> None:
    """Ranked documents with highlighted snippets, then facet bars."""
    from rich.text import Text

    documents = _plural(result.total_documents, "document")
    if result.total_texts != result.total_documents:
        documents += f", {_plural(result.total_texts, 'text')}"
    sections = _plural(result.total_sections, "section")
    console.print(Text(f"{documents} ({sections}) for {result.query!r}", style="bold"))
    if result.notice:
        console.print(Text(result.notice, style="yellow"))
    if result.suggestion:
        console.print(Text(f"Did you mean: {result.suggestion}?", style="yellow"))
    if result.explain:
        console.print(_explain_text(result.explain))
    first_rank = (result.page - 1) * result.limit + 1
    for rank, hit in enumerate(result.results, start=first_rank):
        console.print()
        console.print(_hit_text(rank, hit, console.width))
    last_page = max(1, -(-result.total_texts // result.limit))
    if result.page < last_page:
        console.print(Text(f"\nPage {result.page} of {last_page}; --page {result.page + 1} for more.", style="dim"))
    print_facets(console, result.facets)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def fitted_path(path: str, doc_id: str, room: int) -> str:
    """A result's path in `room` characters: as it is when it fits, else its path inside
    the corpus (the document id's file), else that with its middle elided."""
    for candidate in (path, doc_id.partition("#")[0]):
        if len(candidate) <= room:
            return candidate
    keep = max(room - 1, 8)
    head = keep // 3
    return f"{candidate[:head]}…{candidate[len(candidate) - (keep - head):]}"


def _hit_text(rank: int, hit: DocumentHit, width: int = 80) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    meta = hit.metadata
    title = Text(f"{rank}. ", style="bold")
    title.append(isolated(meta.title or hit.doc_id), style="bold cyan")
    others = [org for org in meta.organisations if org not in meta.issuers]
    orgs = ", ".join(others[:4]) + (f" +{len(others) - 4} more" if len(others) > 4 else "")
    issuer = f"by {', '.join(meta.issuers)}" if meta.issuers else ""
    details = [issuer, shown_date(meta) or "undated", meta.doc_type or "", orgs]
    score = f"score {hit.score:.2f}"
    path = fitted_path(hit.path, hit.doc_id, width - 3 - 2 - len(score))

    parts: list = [Indented(title, 0), Indented(Text(" · ".join(d for d in details if d), style="green"), 3),
                   Indented(Text(f"{path}  {score}", style="dim"), 3)]
    for section in hit.sections:
        if section.heading and section.heading != meta.title:
            parts.append(Indented(Text(f"§ {isolated(section.heading)}", style="italic"), 3))
        text = isolated(section.snippet.text)
        shift = 1 if text != section.snippet.text else 0  # the isolate opening it, if any
        snippet = Text(text)
        for start, end in section.snippet.highlights:
            snippet.stylize("bold reverse", start + shift, end + shift)
        parts.append(Indented(snippet, 5))
        if section.terms:
            parts.append(Indented(_terms_text(section.score, section.terms), 5))
    if hit.matching_sections > len(hit.sections):
        more = hit.matching_sections - len(hit.sections)
        note = f"(+{more} more matching section{'s' if more > 1 else ''}; --sections shows all)"
        parts.append(Indented(Text(note, style="dim"), 5))
    if hit.translations:
        also = ", ".join(f"{doc_id} ({language or '?'})" for doc_id, language in hit.translations)
        parts.append(Indented(Text(f"also matching in translation: {also}", style="dim"), 3))
    if hit.copies:
        parts.append(Indented(Text(f"also published as: {'; '.join(copy_label(copy) for copy in hit.copies)}", style="dim"), 3))
    return Group(*parts)


class Indented:
    """Text wrapped `by` columns in from the left, each line ending at its last word (Rich's
    Padding fills every line out to the longest with spaces)."""

    def __init__(self, text: Text, by: int) -> None:
        self.text, self.by = text, by

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        from rich.segment import Segment
        from rich.style import Style

        style = console.get_style(self.text.style, default=Style.null())
        for line in self.text.wrap(console, max(options.max_width - self.by, 1)):
            line.rstrip()
            yield Segment(" " * self.by)
            yield from Segment.apply_style(line.render(console), style)  # a line without spans has no style of its own
            yield Segment.line()


def copy_label(copy: Copy) -> str:
    """A copy as one line names it: "2015-09-07-shorten-bill.txt (Leader of the Opposition, 2015-09-07)"."""
    about = ", ".join([*copy.issuers, *([copy.date] if copy.date else [])])
    return f"{copy.doc_id} ({about})" if about else copy.doc_id


def isolated(text: str) -> str:
    """Right-to-left text wrapped in Unicode's first-strong isolate (U+2068 … U+2069), so
    that a terminal that lays out bidirectional text shows it right to left without
    moving the rank, section sign or labels around it; other text unchanged."""
    return f"\u2068{text}\u2069" if _RTL.search(text) else text


def _terms_text(score: float, terms: tuple[TermScore, ...]) -> Text:
    from rich.text import Text

    text = Text(f"section score {score:.2f} from:", style="dim")
    for term in terms:
        aliased = term.via.startswith("alias")
        source = f"{term.written} → " if term.written and not aliased and term.written.lower() != term.term else ""
        field = "" if term.field == "content" else f"{term.field}:"
        text.append(f"\n  {term.score:6.2f}  {field}{term.term}  ({source}{term.via})", style="dim")
    return text


def _explain_text(explain: Explain) -> Text:
    from rich.text import Text

    lines = [f"Document score = its {explain.document_score}'s score."]
    for expansion in explain.aliases:
        lines.append(f"{expansion.written!r} also matched {len(expansion.aliases)} other names of "
                     f"{expansion.organisation} (--json lists them).")
    if explain.feedback:
        lines.append("Feedback words: " + ", ".join(f"{t} ×{b:.2f}" for t, b in explain.feedback))
    return Text("\n".join(lines), style="dim")


def print_facets(console: Console, facets: dict[str, FacetResult]) -> None:
    """Facet counts as labelled bars (chosen values marked with a ✓), months as a calendar:
    one row per year, one cell per month, its height the month's count."""
    from rich.text import Text

    for name, result in facets.items():
        if not result.counts:
            continue
        console.print()
        console.print(Text(name, style="bold"))
        if name == "month":
            _print_months(console, result)
            continue
        top = max(c.count for c in result.counts) or 1
        room = console.width - 7 - len(str(top))  # 2 + mark + label + 2 + bar + 1 + count
        width = min(max(len(str(c.value)) for c in result.counts), max(4, room - MIN_BAR))
        bar_width = max(1, min(BAR_WIDTH, room - width))
        for count in result.counts:
            label = str(count.value)
            label = label if len(label) <= width else label[: width - 1] + "…"
            line = Text(f"{'✓ ' if count.selected else '  '}{label:<{width}}  ")
            line.append("█" * round(bar_width * count.count / top), style="magenta")
            line.append(f" {count.count}")
            console.print(line, no_wrap=True, overflow="ellipsis")
        if result.truncated:
            console.print(Text("  …", style="dim"))


_LEVELS = " ▁▂▃▄▅▆▇█"


def _print_months(console: Console, result: FacetResult) -> None:
    """A year per row: twelve cells (· for none), then the year's total."""
    from rich.text import Text

    by_month = {str(c.value): c for c in result.counts if c.value != "(none)"}
    top = max((c.count for c in by_month.values()), default=0) or 1
    console.print(Text("        J F M A M J J A S O N D", style="dim"))
    for year in sorted({label[:4] for label in by_month}):
        line = Text(f"  {year}  ")
        total = 0
        for month in range(1, 13):
            count = by_month.get(f"{year}-{month:02d}")
            if count is None:
                line.append("  ")
                continue
            total += count.count
            level = _LEVELS[max(1, round(8 * count.count / top))] if count.count else "·"
            line.append(level, style="bold magenta" if count.selected else "magenta")
            line.append(" ")
        line.append(f" {total}")
        console.print(line, no_wrap=True, overflow="ellipsis")
    undated = next((c for c in result.counts if c.value == "(none)"), None)
    if undated:
        console.print(Text(f"  (none) {undated.count}", style="dim"))
    if result.truncated:
        console.print(Text("  (the latest months only)", style="dim"))


def print_document(console: Console, shown: ShownDocument) -> None:
    """A whole document: metadata, its translations, then its sections (each marked with
    its language where that is not the document's)."""
    from rich.text import Text

    doc = shown.document
    meta = doc.metadata
    console.print(Indented(Text(isolated(meta.title or doc.doc_id), style="bold cyan"), 0))
    rows = [
        ("doc_id", doc.doc_id), ("path", str(doc.path)),
        ("issuer", f"{', '.join(meta.issuers) or '—'} ({meta.issuer_source.value})"),
        ("date", f"{shown_date(meta) or '—'} ({meta.date_source.value})"),
        ("type", meta.doc_type or "—"),
        ("language", meta.language or "—"),
        ("organisations", ", ".join(meta.organisations) or "—"),
        ("people", ", ".join(meta.people) or "—"), ("places", ", ".join(meta.places) or "—"),
        *((("translation", meta.translation),) if meta.translation else ()),
        *(("in " + (t.language or "?"), f"{t.doc_id}  {isolated(t.title or '')}".rstrip()) for t in shown.translations),
        *((("copies", "; ".join(copy_label(copy) for copy in shown.copies)),) if shown.copies else ()),
        *((("cites", ", ".join(meta.symbols)),) if meta.symbols else ()),
        *((("cited by", ", ".join(shown.cited_by)),) if shown.cited_by else ()),
    ]
    for label, value in rows:
        line = Text(f"{label:>13}  ", style="green")
        line.append(value)
        console.print(Indented(line, 0))
    for section in doc.sections:
        console.print()
        language = f" ({section.language})" if section.language and section.language != meta.language else ""
        console.print(Indented(Text(f"[{section.position}] {isolated(section.heading or '')}".rstrip() + language,
                                    style="bold"), 0))
        console.print(Indented(Text(isolated(section.text)), 0))


def print_report(console: Console, report: BuildReport, corpus: str) -> None:
    """The one-line summary of an indexing run."""
    from rich.text import Text

    verb = "Rebuilt the index of" if report.rebuilt else "Indexed"
    console.print(Text(
        f"{verb} {corpus}: {report.added} added, {report.updated} updated, {report.removed} removed, "
        f"{report.unchanged} unchanged, {len(report.skipped)} skipped in {report.seconds:.1f} s "
        f"({report.documents} documents in the index)."
    ))


def trec_lines(ranking: Ranking) -> str:
    """A ranking as TREC run lines: `qid Q0 doc_id rank score accord`."""
    return "".join(
        f"{ranking.query.qid} Q0 {doc_id} {rank} {score} accord\n"
        for rank, (doc_id, score) in enumerate(ranking.documents, start=1)
    )


def ranking_json(ranking: Ranking) -> str:
    """A ranking as one JSON line."""
    results = [{"doc_id": d, "rank": r, "score": s} for r, (d, s) in enumerate(ranking.documents, start=1)]
    return json.dumps({"qid": ranking.query.qid, "query": ranking.query.text, "results": results},
                      ensure_ascii=False)


def batch_line(report: BuildReport) -> str:
    """One line for a run of `accord watch`."""
    import datetime as dt

    now = dt.datetime.now().strftime("%H:%M:%S")
    return (f"{now}  {report.added} added, {report.updated} updated, {report.removed} removed, "
            f"{len(report.skipped)} skipped ({report.documents} documents, {report.seconds:.1f} s)")


def print_stats(console: Console, stats: IndexStats) -> None:
    """Index statistics as aligned lines."""
    from rich.text import Text

    rows = [
        ("documents", stats.documents), ("texts", stats.texts), ("copy groups", stats.copy_groups),
        ("joint statements", stats.joint_statements), ("sections", stats.sections),
        ("index size", f"{stats.index_bytes / 1024 / 1024:.1f} MiB"),
        ("schema version", stats.schema_version), ("corpus", stats.corpus), ("updated", stats.updated),
        ("furniture lines", stats.furniture_lines), ("folder priors", _priors_line(stats.folder_priors)),
    ] + [(f"{name} values", n) for name, n in stats.facet_values.items()]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        line = Text(f"{label:>{width}}  ", style="green")
        line.append(str(value if value is not None else "—"))
        console.print(line)


def _priors_line(priors: dict[str, dict[str, Any]]) -> str | None:
    """Each folder's learned issuer and year: "docs/: Human Rights Watch, 2024"."""
    return "; ".join(f"{folder + '/' if folder else './'}: " + ", ".join(str(v) for v in prior.values())
                     for folder, prior in priors.items()) or None


_PHASE_LABELS = {"learning": "learning boilerplate", "reading": "indexing", "writing": "writing the index",
                 "finishing": "columns and copies", "sending": "sending documents", "switching": "moving the alias"}
_COUNTED = {"reading": "files", "sending": "documents"}
"""The phases counted, with what they count; the others show a spinner beside their name."""


def export_dict(report: ExportReport) -> dict[str, Any]:
    """An export's report for `accord export --json`."""
    return {"alias": report.alias, "index": report.index, "updated": report.updated, "documents": report.documents,
            "written": report.written, "removed": report.removed, "previous": report.previous,
            "deleted": list(report.deleted), "seconds": round(report.seconds, 2)}


def print_export(console: Console, report: ExportReport) -> None:
    """What an export did, in a sentence or two."""
    if report.updated:
        console.print(f"Updated {report.index} behind {report.alias!r} in {report.seconds:.1f} s: "
                      f"{report.written:,} documents written, {report.removed:,} removed, "
                      f"{report.documents - report.written:,} unchanged.", markup=False)
        return
    console.print(f"Exported {report.documents:,} documents to {report.index} in {report.seconds:.1f} s; "
                  f"{report.alias!r} now names it.", markup=False)
    if report.previous:
        console.print(f"The previous index, {report.previous}, is kept for rollback.", markup=False)


class IndexProgress:
    """Progress of an indexing run (or an export) on `console`, as a context manager that
    gives the run its progress hook (nothing without a console): the boilerplate sample,
    then files done / total with the rate since the run began and the time left, then the
    phases after reading (writing the index, columns and copies), each named beside a
    spinner; an export counts the documents it sends, then moves the alias."""

    def __init__(self, console: Console | None) -> None:
        self.console = console
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._started = 0.0

    def __enter__(self) -> Callable[[str, int, int], None] | None:
        if self.console is None:
            return None
        import time

        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn

        self._started = time.monotonic()
        self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                             TextColumn("{task.fields[count]}"), TextColumn("{task.fields[rate]}"),
                             TimeRemainingColumn(), console=self.console, transient=True)
        self._bar.start()
        self._task = self._bar.add_task("looking for files", total=None, count="", rate="")
        return self._update

    def _update(self, phase: str, done: int, total: int) -> None:
        import time

        assert self._bar is not None and self._task is not None
        label = _PHASE_LABELS.get(phase, phase)
        if phase not in _COUNTED:
            self._bar.update(self._task, description=label, completed=0, total=None, count="", rate="")
            return
        elapsed = time.monotonic() - self._started
        rate = f"{done / elapsed:.0f} {_COUNTED[phase]}/s" if elapsed > 0.5 else ""
        self._bar.update(self._task, description=label, completed=done, total=total,
                         count=f"{done}/{total} {done / total:.0%}" if total else "", rate=rate)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
