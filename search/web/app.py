"""The Starlette application of `accord serve`: the search page, the document view,
exports, an Atom feed and the JSON API, over one index.

The JSON API returns exactly what the CLI prints with --json for the same options. Each
request reads the searcher kept open for the index (search.searcher), which is opened
again when `accord index` or `accord watch` has committed, so a running server answers
from the new index without a restart; searches run one at a time (a Whoosh searcher is
not made for threads), each in a worker thread.

Safe by default: GET and HEAD only; a request whose Host is not one of the server's own
names is refused (DNS rebinding); every response carries a Content-Security-Policy with
no inline script, nosniff and no-referrer; documents are read through the index only (no
part of a URL is ever a file path); limits, pages, queries and exports are bounded; an
internal error is a 500 page without its traceback unless `debug`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from indexer.errors import AccordError, InvalidInput
from indexer.fields import FACET_FIELDS
from search import render
from search.request import SearchRequest, Sort
from search.web import params, views

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from search.backend import Backend
    from search.results import SearchResult

T = TypeVar("T")
CommandReader = Callable[[Sequence[str]], "tuple[SearchRequest, render.OutputFormat, Path] | None"]
"""Reads the arguments of `accord search`: its request, output format and index folder, or
None when the command would search in its own process (search.cli.read_search_command)."""
EXPORT_MAX = 10_000
"""The most documents an export gives (its headers say how many matched)."""
EXPORT_PAGE = 500
FEED_ENTRIES = 50
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
_STATIC = {"style.css": "text/css; charset=utf-8", "search.js": "text/javascript; charset=utf-8"}


def create_app(index_dir: Path, hosts: Sequence[str] = LOCAL_HOSTS, debug: bool = False,
               backend: Backend | None = None, command: CommandReader | None = None) -> Starlette:
    """The application serving `index_dir` (or, given one, `backend`), answering requests
    addressed to `hosts`, and the searches of `accord search` that `command` reads (none
    without it)."""
    from jinja2 import Environment, PackageLoader, select_autoescape
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import HTMLResponse, Response, StreamingResponse
    from starlette.routing import Route

    from indexer.sources import display_path
    from indexer.store.folder import read_info
    from search import engine
    from search.backend import WhooshIndex

    backend = backend or WhooshIndex(index_dir)
    templates = Environment(loader=PackageLoader("search.web", "templates"),
                            autoescape=select_autoescape(["html", "xml"], default=True))
    templates.globals.update(doc_url=views.doc_url, shown_date=render.shown_date, copy_label=render.copy_label)
    static = {name: (files("search.web") / "static" / name).read_bytes() for name in _STATIC}
    lock = threading.Lock()

    def locked(work: Callable[[], T]) -> T:
        with lock:
            return work()

    def page(name: str, code: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(templates.get_template(name).render(**context), status_code=code)

    def as_json(value: Any, status: int = 200) -> Response:
        return Response(render.to_json(value) + "\n", status_code=status, media_type="application/json")

    def pairs_of(request: Request) -> params.Pairs:
        return params.clean(request.query_params.multi_items())

    async def run(work: Callable[[], T]) -> T:
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(locked, work)

    async def search_page(request: Request) -> Response:
        pairs = pairs_of(request)
        search_request = params.to_request(pairs, facets=views.PAGE_FACETS)
        result = await run(lambda: backend.search(search_request))
        query = params.value(pairs, "q")
        return page("search.html", query=query or "", result=result,
                    hits=[views.hit_view(hit, query) for hit in result.results],
                    facets=views.facets(result, pairs), chips=views.chips(pairs), clear_all=views.clear_all(pairs),
                    pages=views.pages(result, pairs), sorts=views.sorts(pairs), hidden=_hidden(pairs),
                    suggestion=params.link(params.replacing(pairs, "q", result.suggestion)) if result.suggestion else None,
                    links={"JSON": params.link(pairs, "/api/search"), "CSV": params.link(pairs, "/export.csv"),
                           "JSON Lines": params.link(pairs, "/export.jsonl"), "Atom feed": params.link(
                               params.replacing(pairs, "sort", None), "/feed.atom")},
                    first_rank=(result.page - 1) * result.limit + 1)

    async def document_page(request: Request) -> Response:
        query = request.query_params.get("q") or None
        shown = await run(lambda: backend.show(request.path_params["doc_id"], query))
        doc = shown.document
        sections = [{"position": s.position, "heading": s.heading, "language": s.language,
                     "pieces": views.pieces(s.text, shown.highlights[i] if shown.highlights else ())}
                    for i, s in enumerate(doc.sections)]
        return page("document.html", doc=doc, meta=doc.metadata, sections=sections, query=query or "",
                    translations=shown.translations, cited_by=shown.cited_by, copies=shown.copies,
                    back=params.link((("q", query),) if query else ()),
                    api=f"/api{views.doc_url(doc.doc_id)}")

    async def api_search(request: Request) -> Response:
        search_request = params.to_request(pairs_of(request))
        return as_json(render.search_dict(await run(lambda: backend.search(search_request))))

    async def api_cli_search(request: Request) -> Response:
        args, terminal = params.command_of(request.query_params.multi_items())
        read = command(args) if command is not None else None
        if read is None or not _answers(index_dir, terminal, *read):
            return as_json({"error": "Not a search this server answers; the command runs it itself."}, 409)
        search_request, fmt, _ = read
        result = await run(lambda: backend.search(search_request))
        result = replace(result, results=tuple(replace(hit, path=display_path(hit.path, terminal.folder))
                                               for hit in result.results))
        console = (render.terminal_console(terminal.width, terminal.color, terminal.no_color,
                                                 terminal.is_terminal)
                   if terminal.width is not None else None)
        output, notices = render.search_output(result, fmt, console)
        return as_json({"output": output, "notices": list(notices)})

    async def api_facets(request: Request) -> Response:
        pairs = pairs_of(request)
        search_request = replace(params.to_request(pairs, facets=FACET_FIELDS), limit=1, page=1)
        return as_json(render.facets_payload(await run(lambda: backend.search(search_request))))

    async def api_document(request: Request) -> Response:
        doc_id = request.path_params["doc_id"]
        return as_json(render.document_dict(await run(lambda: backend.show(doc_id))))

    async def api_stats(request: Request) -> Response:
        return as_json(render.stats_dict(await run(lambda: backend.stats())))

    async def export(request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in ("csv", "jsonl"):
            raise HTTPException(404)
        pairs = params.without_page(tuple((k, v) for k, v in pairs_of(request) if k != "limit"))
        first_request = params.to_request((*pairs, ("limit", str(EXPORT_PAGE))))
        first = await run(lambda: backend.search(first_request))
        rows = _export_rows(first, first_request, kind, lambda r: locked(lambda: backend.search(r)))
        media = "text/csv; charset=utf-8" if kind == "csv" else "application/x-ndjson; charset=utf-8"
        headers = {"content-disposition": f'attachment; filename="accord-search.{kind}"',
                   "x-accord-total-documents": str(first.total_documents),
                   "x-accord-exported-documents": str(min(first.total_documents, EXPORT_MAX))}
        return StreamingResponse(rows, media_type=media, headers=headers)

    async def feed(request: Request) -> Response:
        pairs = tuple((k, v) for k, v in params.without_page(pairs_of(request)) if k not in ("sort", "limit"))
        feed_request = params.to_request((*pairs, ("sort", Sort.NEWEST.value), ("limit", str(FEED_ENTRIES))))
        result = await run(lambda: backend.search(feed_request))
        updated = _rfc3339(read_info(index_dir).updated)  # the info file alone, not the index's statistics
        base = str(request.base_url).rstrip("/")
        xml = templates.get_template("feed.xml").render(
            result=result, query=params.value(pairs, "q") or "", base=base, self_url=base + params.link(pairs, "/feed.atom"),
            page_url=base + params.link(pairs), updated=updated, entry_date=_entry_date)
        return Response(xml, media_type="application/atom+xml; charset=utf-8")

    async def static_file(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in static:
            raise HTTPException(404)
        return Response(static[name], media_type=_STATIC[name], headers={"cache-control": "max-age=300"})

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    async def invalid(request: Request, err: Exception) -> Response:
        status = 404 if isinstance(err, engine.DocumentNotFound) else 400 if isinstance(err, InvalidInput) else 500
        if wants_json(request):
            return as_json({"error": str(err)}, status)
        return page("error.html", status, status=status, message=str(err), query=request.query_params.get("q", ""))

    async def http_error(request: Request, err: Exception) -> Response:
        assert isinstance(err, HTTPException)
        message = {404: "There is no such page.", 405: "Only GET and HEAD requests are answered."}.get(
            err.status_code, str(err.detail))
        if wants_json(request):
            return as_json({"error": message}, err.status_code)
        return page("error.html", err.status_code, status=err.status_code, message=message, query="")

    async def internal(request: Request, err: Exception) -> Response:
        message = "Something went wrong on the server; it has not changed the index."
        if wants_json(request):
            return as_json({"error": message}, 500)
        return page("error.html", 500, status=500, message=message, query="")

    routes = [
        Route("/", search_page, methods=["GET"]),
        Route("/doc/{doc_id:path}", document_page, methods=["GET"]),
        Route("/api/search", api_search, methods=["GET"]),
        Route("/api/cli/search", api_cli_search, methods=["GET"]),
        Route("/api/facets", api_facets, methods=["GET"]),
        Route("/api/doc/{doc_id:path}", api_document, methods=["GET"]),
        Route("/api/stats", api_stats, methods=["GET"]),
        Route("/export.{kind}", export, methods=["GET"]),
        Route("/feed.atom", feed, methods=["GET"]),
        Route("/static/{name}", static_file, methods=["GET"]),
    ]
    handlers: dict[Any, Callable] = {AccordError: invalid, HTTPException: http_error}
    if not debug:
        handlers[Exception] = internal
    return Starlette(
        debug=debug, routes=routes, exception_handlers=handlers,
        middleware=[Middleware(SecurityHeaders), Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))],
    )


def _answers(index_dir: Path, terminal: params.Terminal, request: SearchRequest, fmt: render.OutputFormat,
             asked: Path) -> bool:
    """Whether the server answers a search of `accord search` run in `terminal.folder` on the
    index folder `asked`: one of its own index, and for text, a terminal it was told of."""
    own = (terminal.folder / asked).resolve() == index_dir.resolve()
    return own and (fmt is not render.OutputFormat.TEXT or terminal.width is not None)


class SecurityHeaders:
    """ASGI middleware that adds SECURITY_HEADERS to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                present = {name.lower() for name, _ in message["headers"]}
                message["headers"] += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                                       if k.encode() not in present]
            await send(message)

        await self.app(scope, receive, with_headers)


def _hidden(pairs: params.Pairs) -> list[tuple[str, str]]:
    """The parameters a new query keeps (filters, order, page size), as hidden form fields."""
    return [(k, v) for k, v in pairs if k not in ("q", "page")]


def _export_rows(first: SearchResult, request: SearchRequest, kind: str,
                 search: Callable[[SearchRequest], SearchResult]) -> Iterator[str]:
    """The export's lines, page after page, up to EXPORT_MAX documents."""
    result, rank = first, 1
    if kind == "csv":
        yield _csv_line(render.CSV_HEADER)
    while result.results and rank <= EXPORT_MAX:
        for hit in result.results[: EXPORT_MAX - rank + 1]:
            yield (_csv_line(render.csv_row(rank, hit)) if kind == "csv"
                   else json.dumps(render.hit_dict(hit), ensure_ascii=False) + "\n")
            rank += 1
        if result.page * result.limit >= result.total_documents:
            break
        result = search(replace(request, page=result.page + 1))


def _csv_line(row: Sequence[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row)
    return buffer.getvalue()


def _rfc3339(stamp: str | None) -> str:
    """An index's update time (ISO 8601) as Atom wants it; now when unknown."""
    moment = dt.datetime.fromisoformat(stamp) if stamp else dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.isoformat(timespec="seconds")


def _entry_date(date: str | None) -> str | None:
    """A document's (possibly partial) date as an Atom timestamp: its first day, at midnight UTC."""
    if not date:
        return None
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.timezone.utc).isoformat(timespec="seconds")
