"""The `accord` command line: index, search, facets, show, stats.

Each command turns its options into a request, calls one library function, and hands
the result to `render`. Errors are translated here, once: an AccordError becomes one
line on stderr and exit 1 (2 for invalid input); anything else is an internal error,
shown with its traceback only under --debug.

The annotations are not postponed (no `from __future__ import annotations`): Typer reads
every command's parameters at each start, and would otherwise compile and evaluate them
from strings one by one.
"""

import functools
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from enum import Enum, IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from indexer.errors import AccordError, InvalidInput
from indexer.fields import ISSUER, LANGUAGE, MONTH, ORGANISATION, PERSON, PLACE, SYMBOL, TYPE, YEAR
from search.backend import DEFAULT_ALIAS, BackendKind
from search.environment import ALIAS_ENV, CORPUS_ENV, DEFAULT_INDEX, INDEX_ENV, URL_ENV
from search.render import IndexProgress, OutputFormat, RunFormat
from search.request import (
    DEFAULT_FACETS,
    FACET_CHOICES,
    Match,
    QueryError,
    SearchRequest,
    Sort,
    check_facet_field,
    make_filters,
)

if TYPE_CHECKING:
    from rich.console import Console

    from indexer.build import BuildReport
    from search.backend import Backend
    from search.opensearch.export import ExportReport

F = TypeVar("F", bound=Callable[..., Any])


class ExitCode(IntEnum):
    """Exit statuses of accord."""

    OK = 0
    FAILURE = 1
    USAGE = 2


app = typer.Typer(
    name="accord",
    no_args_is_help=True,
    add_completion=False,  # Typer's completion setup adds ~14 ms to every start
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

IndexDir = Annotated[
    Path,
    typer.Option("--index", envvar=INDEX_ENV, metavar="DIR", help="Index folder.", show_default=True,
                 file_okay=False),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]
Debug = Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error.")]
Expand = Annotated[bool, typer.Option("--expand/--no-expand",
                                      help="Widen an organisation's name to all its aliases.")]
Feedback = Annotated[bool, typer.Option("--feedback/--no-feedback",
                                        help="Rerank with words shared by the best documents.")]
BackendChoice = Annotated[BackendKind | None, typer.Option(
    "--backend", metavar="whoosh|opensearch", show_default=False,
    help=f"Engine to ask [default: opensearch when {URL_ENV} is set, else whoosh].")]
OpenSearchUrl = Annotated[str | None, typer.Option("--opensearch-url", envvar=URL_ENV, metavar="URL",
                                                   help="OpenSearch cluster, e.g. http://localhost:9200.")]
Alias = Annotated[str, typer.Option("--alias", envvar=ALIAS_ENV, metavar="NAME",
                                    help="OpenSearch alias the accord index is read through.")]
DEFAULT_CORPUS = Path("corpus")
DEFAULT_JOBS = min(os.cpu_count() or 1, 4)
"""Worker processes of `accord index`: one per core, up to four (each holds its own buffers)."""


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"accord {version('accord')}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Full-text search for human-rights and multilateral-diplomacy documents.

    Index a folder of press releases, statements and reports (text, Markdown, HTML, PDF,
    records), then search it by keyword, narrowed and counted by organisation and year.

    Example: accord search vaccines --org WHO --year 2020..2021
    """


def _stderr() -> "Console":
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _progress(quiet: bool) -> IndexProgress:
    """The progress display of a long run: on stderr when it is a terminal and not `quiet`."""
    return IndexProgress(_stderr() if not quiet and sys.stderr.isatty() else None)


def _stdout() -> "Console":
    from rich.console import Console

    return Console(highlight=False)


def _backend(kind: BackendKind | None, index_dir: Path, url: str | None, alias: str, build: bool = True) -> "Backend":
    """The backend a command asks; the Whoosh index is built from the corpus first when
    there is none yet (with `build`)."""
    from search.backend import chosen_kind, open_backend

    chosen = chosen_kind(kind)
    if chosen is BackendKind.WHOOSH and build:
        from search import engine

        engine.ensure_index(index_dir, _default_corpus(), _say)
    return open_backend(chosen, index_dir, url, alias)


def _say(message: str) -> None:
    """A notice on stderr (never on stdout, so JSON output stays parseable)."""
    _stderr().print(message, markup=False, emoji=False)  # as written, as search.launcher writes it


def _fail(message: str, code: ExitCode) -> typer.Exit:
    from rich.text import Text

    _stderr().print(Text(f"error: {message}", style="red"))
    return typer.Exit(int(code))


def handles_errors(command: F) -> F:
    """Translate errors raised by a command into a message and an exit status."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InvalidInput as err:
            raise _fail(str(err), ExitCode.USAGE) from None
        except AccordError as err:
            raise _fail(str(err), ExitCode.FAILURE) from None
        except KeyboardInterrupt:
            raise _fail("interrupted; nothing was changed.", ExitCode.FAILURE) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as err:
            if kwargs.get("debug"):
                raise
            raise _fail(f"internal error ({type(err).__name__}: {err}); rerun with --debug for details.",
                        ExitCode.FAILURE) from None

    return wrapper  # type: ignore[return-value]


def _facet_name(value: str) -> str:
    try:
        return check_facet_field(value)
    except QueryError as err:
        raise typer.BadParameter(str(err)) from None


@app.command()
@handles_errors
def index(
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="[PATH]", help="Corpus folder [default: the folder the index was built from, $ACCORD_CORPUS, or ./corpus].",
        show_default=False)] = None,
    index_dir: IndexDir = Path(DEFAULT_INDEX),
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start the index over.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", min=1, metavar="N", help="Worker processes, each parsing files and "
                                      "writing their documents [default: one per core, up to 4].",
                                      show_default=False)] = DEFAULT_JOBS,
    wait: Annotated[float, typer.Option("--wait", min=0, metavar="SECONDS", help="Seconds to wait for another update to finish.")] = 10.0,
    metadata: Annotated[Path | None, typer.Option(
        "--metadata", metavar="FILE", dir_okay=False,
        help="JSON Lines or CSV of fields per file (a `file` column, relative to the corpus); remembered by the index.")] = None,
    translation_key: Annotated[str | None, typer.Option(
        "--translation-key", metavar="FIELD",
        help="Metadata field whose value a text shares with its translations, looked at before parallel_id, "
             "translation_id and symbol; remembered by the index.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no warnings.")] = False,
    json_output: JsonFlag = False,
    yes: Annotated[bool, typer.Option("--yes", help="Allow a run that removes every document "
                                              "(asked interactively on a terminal).")] = False,
    backend: BackendChoice = None,
    opensearch_url: OpenSearchUrl = None,
    alias: Alias = DEFAULT_ALIAS,
    debug: Debug = False,
) -> None:
    """Index a folder of documents, or bring the index up to date with it.

    New files are added, changed files replaced, deleted files removed; unchanged files
    are not read again. Unreadable files are skipped with a warning. With --backend
    opensearch, the OpenSearch index behind --alias is then brought up to date too.

    Example: accord index ~/documents/ohchr --index ~/ohchr-index
    """
    from search.backend import chosen_kind

    remote = chosen_kind(backend) is BackendKind.OPENSEARCH
    if remote and not opensearch_url:
        raise InvalidInput(f"--backend opensearch needs the cluster's address: give --opensearch-url URL or set {URL_ENV}.")
    from indexer.build import WouldRemoveAll, build_index
    from indexer.sources import display_path
    from indexer.store.folder import corpus_of
    from search import render

    if paths and len(paths) > 1:
        raise InvalidInput("Give one corpus folder; index other folders into other --index folders.")
    corpus = corpus_of(index_dir, paths[0] if paths else _corpus_from_env(), DEFAULT_CORPUS)

    def run(allow_remove_all: bool) -> "BuildReport":
        with _progress(quiet) as progress:
            return build_index(corpus, index_dir, rebuild=rebuild, jobs=jobs, wait=wait,
                               allow_remove_all=allow_remove_all, progress=progress, metadata=metadata,
                               translation_key=translation_key)

    try:
        report = run(yes)
    except WouldRemoveAll as err:
        if not sys.stdin.isatty() or json_output:
            raise
        typer.confirm(f"{err}\nEmpty the index?", abort=True, err=True)
        report = run(True)
    if not quiet:
        _warn(report)
    exported = _export_to(str(opensearch_url), alias, index_dir, rebuild, quiet or json_output) if remote else None
    if json_output:
        payload = render.report_dict(report)
        typer.echo(render.to_json(payload if exported is None else {**payload, "opensearch": render.export_dict(exported)}))
    elif not quiet:
        render.print_report(_stderr(), report, display_path(str(corpus)))
        if exported is not None:
            render.print_export(_stderr(), exported)


def _export_to(url: str, alias: str, index_dir: Path, rebuild: bool, quiet: bool) -> "ExportReport":
    """Bring the OpenSearch index behind `alias` up to date with the index in `index_dir`."""
    from search.opensearch.export import connect, export

    with _progress(quiet) as progress:
        return export(index_dir, connect(url), alias, progress, rebuild)


@app.command()
@handles_errors
def watch(
    path: Annotated[Path | None, typer.Argument(
        metavar="[PATH]", help="Corpus folder [default: as for `accord index`].", show_default=False)] = None,
    index_dir: IndexDir = Path(DEFAULT_INDEX),
    debug: Debug = False,
) -> None:
    """Keep the index up to date while files appear, change or go.

    Indexes the folder now, then after each burst of changes (one commit per burst),
    printing one line per run. Stop it with Ctrl-C.

    Example: accord watch ~/documents/ohchr --index ~/ohchr-index
    """
    from indexer.sources import display_path
    from indexer.store.folder import corpus_of
    from indexer.watch import watch_corpus

    corpus = corpus_of(index_dir, path or _corpus_from_env(), DEFAULT_CORPUS)
    _say(f"Watching {display_path(str(corpus.resolve()))} (Ctrl-C stops).")

    def report(result: "BuildReport") -> None:
        from search import render

        _warn(result)
        typer.echo(render.batch_line(result))
        sys.stdout.flush()  # one line per batch, as it happens, even into a pipe

    try:
        watch_corpus(corpus, index_dir, report)
    except KeyboardInterrupt:
        _say("Stopped watching.")


SEARCH_SYNTAX = """Query syntax (the README has the full table):

\b
  human rights         every word (else any word, saying so)
  "human rights"       a phrase
  A OR B  A AND B  NOT A  -A  -"a phrase"  ( )      combine, exclude
  title: heading: org: person: place: type: lang: year: date:  one field
  person:pillay  org:"high commissioner"      any part of a name or alias
  year:2021  year:[2014 TO 2021]  year:>2020  date:2021-02
  date:[2021-01 TO 2021-06]                   dates that overlap the period
  vaccin*  wom?n  Lenarcic~  Bachlet~2        patterns and fuzzy words
  ? ! . , ; : ending a word are punctuation, not syntax.
  A query that starts with - follows --:  accord search -- -climate rights
  At most 500 words and 10,000 characters; words of 100 characters at most.
"""


@app.command(epilog=SEARCH_SYNTAX)
@handles_errors
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", help='Words, "phrases", AND/OR/NOT, field:value; "*" for everything.')],
    by: Annotated[list[str] | None, typer.Option("--by", metavar="ORG", help="Issued by this organisation, by any alias (repeatable).")] = None,
    org: Annotated[list[str] | None, typer.Option("--org", "-o", metavar="ORG", help='Organisation, by any alias (repeatable); "(none)" for documents naming none.')] = None,
    year: Annotated[list[str] | None, typer.Option("--year", "-y", metavar="YEAR|FROM..TO",
                                                  help="Year or inclusive range (repeatable).")] = None,
    month: Annotated[list[str] | None, typer.Option("--month", metavar="YYYY-MM", help="Month (repeatable).")] = None,
    person: Annotated[list[str] | None, typer.Option("--person", metavar="NAME", help="Person named (repeatable).")] = None,
    place: Annotated[list[str] | None, typer.Option("--place", metavar="PLACE", help="Country or region (repeatable).")] = None,
    doc_type: Annotated[list[str] | None, typer.Option("--type", metavar="TYPE", help="Document type, e.g. 'press release'.")] = None,
    lang: Annotated[list[str] | None, typer.Option("--lang", metavar="CODE", help="Language code, e.g. en.")] = None,
    cites: Annotated[list[str] | None, typer.Option("--cites", metavar="SYMBOL", help="Citing this UN document symbol, e.g. A/HRC/52/3 (repeatable).")] = None,
    not_by: Annotated[list[str] | None, typer.Option("--not-by", metavar="ORG", help="Leave out documents issued by this organisation.")] = None,
    not_org: Annotated[list[str] | None, typer.Option("--not-org", metavar="ORG", help="Leave out documents of this organisation (repeatable).")] = None,
    not_year: Annotated[list[str] | None, typer.Option("--not-year", metavar="YEAR|FROM..TO", help="Leave out these years.")] = None,
    not_month: Annotated[list[str] | None, typer.Option("--not-month", metavar="YYYY-MM", help="Leave out this month.")] = None,
    not_person: Annotated[list[str] | None, typer.Option("--not-person", metavar="NAME", help="Leave out documents naming this person.")] = None,
    not_place: Annotated[list[str] | None, typer.Option("--not-place", metavar="PLACE", help="Leave out documents about this place.")] = None,
    not_type: Annotated[list[str] | None, typer.Option("--not-type", metavar="TYPE", help="Leave out this document type.")] = None,
    not_lang: Annotated[list[str] | None, typer.Option("--not-lang", metavar="CODE", help="Leave out this language.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", metavar="YYYY-MM-DD", help="Dated on or after.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", metavar="YYYY-MM-DD", help="Dated on or before.")] = None,
    sort: Annotated[Sort, typer.Option("--sort", metavar="relevance|newest|oldest", help="Result order.")] = Sort.RELEVANCE,
    match: Annotated[Match | None, typer.Option("--match", metavar="all|any", help="Require all words, or any [default: all, falling back to any].")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, metavar="N", help="Documents per page.")] = 10,
    page: Annotated[int, typer.Option("--page", min=1, metavar="N", help="Page of results.")] = 1,
    facet: Annotated[list[str] | None, typer.Option("--facet", "-f", parser=_facet_name, metavar="FIELD",
                                                       help=f"Facet to count: {', '.join(FACET_CHOICES)} [default: organisation, year].")] = None,
    sections: Annotated[bool, typer.Option("--sections", help="Show every matching section, not the best three.")] = False,
    expand: Expand = True,
    feedback: Feedback = True,
    explain: Annotated[bool, typer.Option("--explain", help="Show each section's matched terms and their scores.")] = False,
    one_per_text: Annotated[bool, typer.Option("--one-per-text", help="Show each text once among its translations, "
                                               "in the query's language where it has one.")] = False,
    all_copies: Annotated[bool, typer.Option("--all-copies", help="Show every copy of a text, not its best-ranked one "
                                             "with the others listed under it.")] = False,
    joint: Annotated[bool, typer.Option("--joint", help="Joint statements only: texts issued by several organisations.")] = False,
    json_output: JsonFlag = False,
    output: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.TEXT,
    no_server: Annotated[bool, typer.Option("--no-server", help="Search in this process even when `accord serve` "
                                            "is serving the index (which answers faster).")] = False,
    index_dir: IndexDir = Path(DEFAULT_INDEX),
    backend: BackendChoice = None,
    opensearch_url: OpenSearchUrl = None,
    alias: Alias = DEFAULT_ALIAS,
    debug: Debug = False,
) -> None:
    """Search the index: ranked documents with highlighted snippets and facet counts.

    Builds the index from ./corpus (or $ACCORD_CORPUS) first if there is none yet.

    Example: accord search "human rights" --org "UN Human Rights Office" --year 2014..2022

    Queries may be in any language; Arabic, Chinese, French, Russian and Spanish are read
    with their own analysis. Example: accord search "droits de l'homme" --lang fr --one-per-text
    """
    request, fmt = search_request(locals())  # every option, by name
    from search import render

    console = _stdout() if fmt is OutputFormat.TEXT else None  # JSON and CSV need no terminal (nor Rich)
    printed, notices = render.search_output(_backend(backend, index_dir, opensearch_url, alias).search(request), fmt,
                                            console)
    for notice in notices:
        _say(notice)
    sys.stdout.write(printed)
    sys.stdout.flush()


FILTER_FIELDS = (ISSUER, ORGANISATION, YEAR, MONTH, PERSON, PLACE, TYPE, LANGUAGE, SYMBOL)
"""The fields `accord search`'s filter options name, in the order search_request gives them."""


def search_request(options: Mapping[str, Any]) -> tuple[SearchRequest, OutputFormat]:
    """The request and output format of `accord search` with these options, by parameter
    name, as the command gets them or as its parser gives them (read_search_command)."""
    o = options

    def given(*names: str) -> dict[str, tuple[str, ...]]:  # a repeatable option not given: None or ()
        return {field: tuple(o[name] or ()) for field, name in zip(FILTER_FIELDS, names)}

    request = SearchRequest(
        text=o["query"],
        filters=make_filters(given("by", "org", "year", "month", "person", "place", "doc_type", "lang", "cites"),
                             given("not_by", "not_org", "not_year", "not_month", "not_person", "not_place",
                                   "not_type", "not_lang"),
                             o["date_from"], o["date_to"], o["joint"]),
        match=Match(o["match"]) if o["match"] else None, sort=Sort(o["sort"]), page=o["page"], limit=o["limit"],
        facets=tuple(dict.fromkeys(o["facet"])) if o["facet"] else DEFAULT_FACETS, all_sections=o["sections"],
        expand=o["expand"], feedback=o["feedback"], explain=o["explain"], one_per_text=o["one_per_text"],
        all_copies=o["all_copies"],
    )
    return request, OutputFormat.JSON if o["json_output"] else OutputFormat(o["output"])


def read_search_command(args: Sequence[str]) -> tuple[SearchRequest, OutputFormat, Path] | None:
    """`accord search ARGS` as the command reads it: its request, output format and index
    folder (as given); None when it searches in its own process whatever serves the index,
    or when its parser refuses the arguments (the command then says why itself). How
    `accord serve` reads the searches the command asks it."""
    from search import remote

    if remote.in_process_only(args):
        return None
    try:
        with _search_command().make_context("search", list(args)) as context:
            options = dict(context.params)
    except (typer.TyperException, typer.Exit):
        return None
    request, fmt = search_request(options)
    return request, fmt, Path(options["index_dir"])


@functools.cache
def _search_command() -> Any:
    from typer.main import get_command

    return get_command(app).commands["search"]  # type: ignore[attr-defined]


@app.command()
@handles_errors
def batch(
    queries: Annotated[Path, typer.Argument(metavar="QUERIES", help="File of qid<TAB>query lines, or BEIR queries.jsonl.")],
    output: Annotated[RunFormat, typer.Option("--format", help="Output format.")] = RunFormat.TREC,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, metavar="N", help="Documents per query.")] = 100,
    match: Annotated[Match, typer.Option("--match", metavar="all|any",
                                         help="Require all words, or rank documents with any of them.")] = Match.ANY,
    expand: Expand = True,
    feedback: Feedback = True,
    index_dir: IndexDir = Path(DEFAULT_INDEX),
    backend: BackendChoice = None,
    opensearch_url: OpenSearchUrl = None,
    alias: Alias = DEFAULT_ALIAS,
    debug: Debug = False,
) -> None:
    """Run a file of queries and print one ranked list per query.

    For saved query lists and for measuring relevance (TREC run format by default).
    By default every document matching any word of a query is ranked. A query that
    cannot be run is named on stderr and the others are answered; the exit status is
    then 2.

    Example: accord batch queries.tsv --format trec --limit 100 > run.txt
    """
    from search import render
    from search.batch import read_queries
    from search.results import Refused

    refused = 0
    rankings = _backend(backend, index_dir, opensearch_url, alias).batch(read_queries(queries), limit, match, expand,
                                                                      feedback)
    for ranking in rankings:
        if isinstance(ranking, Refused):
            refused += 1
            _say(f"warning: query {ranking.query.qid} was not run: {ranking.reason}")
        elif output is RunFormat.TREC:
            typer.echo(render.trec_lines(ranking), nl=False)
        else:
            typer.echo(render.ranking_json(ranking))
    if refused:
        raise InvalidInput(f"{refused} of the queries {'was' if refused == 1 else 'were'} not run (see above); "
                           "the others were answered.")


def _warn(report: "BuildReport") -> None:
    """One line on stderr per skipped file and per file indexed with a problem."""
    for skipped in report.skipped:
        _say(f"warning: skipped {skipped.path}: {skipped.reason}")
    for warning in report.warnings:
        _say(f"warning: {warning.path}: {warning.reason}")


def _corpus_from_env() -> Path | None:
    """The corpus folder $ACCORD_CORPUS names, if it is set."""
    from_env = os.environ.get(CORPUS_ENV)
    return Path(from_env) if from_env else None


def _default_corpus() -> Path:
    return _corpus_from_env() or DEFAULT_CORPUS


@app.command()
@handles_errors
def facets(
    query: Annotated[str, typer.Argument(metavar="[QUERY]", show_default=False,
                                         help="Query whose matches are counted [default: every document].")] = "*",
    facet: Annotated[list[str] | None, typer.Option("--facet", "-f", parser=_facet_name, metavar="FIELD",
                                                       help="Facet to count [default: all of them].")] = None,
    json_output: JsonFlag = False,
    index_dir: IndexDir = Path(DEFAULT_INDEX),
    backend: BackendChoice = None,
    opensearch_url: OpenSearchUrl = None,
    alias: Alias = DEFAULT_ALIAS,
    debug: Debug = False,
) -> None:
    """Count documents per issuer, organisation, year, month, person, place, type, language and cited UN symbol.

    With a query, counts the documents it matches; without one, the whole index.

    Example: accord facets "freedom of expression" --facet organisation --facet year
    """
    from search import render

    request = SearchRequest(text=query, limit=1, facets=tuple(dict.fromkeys(facet)) if facet else FACET_CHOICES)
    result = _backend(backend, index_dir, opensearch_url, alias).search(request)
    if json_output:
        typer.echo(render.to_json(render.facets_payload(result)))
    else:
        console = _stdout()
        console.print(f"{result.total_documents} documents", markup=False)
        render.print_facets(console, result.facets)


@app.command()
@handles_errors
def show(
    doc_id: Annotated[str, typer.Argument(metavar="DOC_ID", help="Document id: the file's path inside the corpus.")],
    json_output: JsonFlag = False,
    index_dir: IndexDir = Path(DEFAULT_INDEX),
    backend: BackendChoice = None,
    opensearch_url: OpenSearchUrl = None,
    alias: Alias = DEFAULT_ALIAS,
    debug: Debug = False,
) -> None:
    """Show one indexed document: its metadata, its translations and its sections.

    Documents are translations of one another when they share a translation id: a
    `parallel_id` (or `translation_id`, `symbol`) given in their metadata, or the UN
    document symbol they carry in their title or on a line of their own.

    Example: accord show ohchr-odihr-joint-declaration-2014.txt
    """
    from search import render

    shown = _backend(backend, index_dir, opensearch_url, alias, build=False).show(doc_id)
    if json_output:
        typer.echo(render.to_json(render.document_dict(shown)))
    else:
        render.print_document(_stdout(), shown)


@app.command()
@handles_errors
def serve(
    index_dir: IndexDir = Path(DEFAULT_INDEX),
    host: Annotated[str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on; another than "
                                      "127.0.0.1 lets other machines read the index.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, metavar="PORT", help="Port; 0 picks a free one.")] = 8001,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in the web browser.")] = False,
    allow_host: Annotated[list[str] | None, typer.Option("--allow-host", metavar="NAME",
                                                         help="Another name the server answers to (repeatable).")] = None,
    backend: BackendChoice = None,
    opensearch_url: OpenSearchUrl = None,
    alias: Alias = DEFAULT_ALIAS,
    debug: Debug = False,
) -> None:
    """Serve a search page and a JSON API on this machine, until Ctrl-C.

    The page has a search box, filters with counts, highlighted results, each document,
    exports (CSV, JSON Lines) and an Atom feed of any search; /api/search answers with the
    JSON of `accord search --json`. It sees a reindex without a restart.

    Example: accord serve --index ~/ohchr-index --open
    """
    from search.backend import chosen_kind
    from search.web.serve import is_loopback
    from search.web.serve import serve as run_server

    served = _backend(backend, index_dir, opensearch_url, alias)
    remote = None if chosen_kind(backend) is BackendKind.WHOOSH else served
    if not is_loopback(host):
        _say(f"warning: listening on {host}: anyone who can reach this machine can read the index.")

    def announce(address: str) -> None:
        what = index_dir if remote is None else f"OpenSearch alias {alias!r}"
        typer.echo(f"Serving {what} at {address} (Ctrl-C stops).")
        sys.stdout.flush()

    try:
        run_server(index_dir, host, port, announce, open_browser, tuple(allow_host or ()), debug, remote,
                   read_search_command)
    except KeyboardInterrupt:
        pass  # uvicorn has shut down cleanly, then passes Ctrl-C on
    except OSError as err:
        raise AccordError(f"Cannot listen on {host}:{port} ({err.strerror or err}); "
                          "choose another --port, or 0 for a free one.") from None
    _say("Stopped serving.")


class ExportTarget(str, Enum):
    """Where `accord export` writes an index."""

    OPENSEARCH = "opensearch"


@app.command()
@handles_errors
def export(
    url: Annotated[str, typer.Argument(metavar="URL", help="The cluster, e.g. http://localhost:9200.")],
    to: Annotated[ExportTarget, typer.Option("--to", metavar="opensearch", help="Engine to export to.")] = ExportTarget.OPENSEARCH,
    alias: Alias = DEFAULT_ALIAS,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build a new index and move the alias to it, even "
                                          "where the one it names could be updated in place.")] = False,
    json_output: JsonFlag = False,
    index_dir: IndexDir = Path(DEFAULT_INDEX),
    debug: Debug = False,
) -> None:
    """Copy the index into OpenSearch (or Elasticsearch), behind an alias.

    The first time (or with --rebuild, or after an upgrade changed the layout) builds a new
    index on the cluster, then points ALIAS at it in one step, keeping the one it named
    before for rollback; a failed or interrupted build leaves the alias as it was. Later
    runs update the index in place: changed and new documents written, deleted ones removed.
    Then search it with --backend opensearch (or set ACCORD_OPENSEARCH_URL).

    Example: accord export --to opensearch http://localhost:9200 --alias accord
    """
    from search import engine, render

    engine.ensure_index(index_dir, _default_corpus(), _say)
    report = _export_to(url, alias, index_dir, rebuild, json_output)
    if json_output:
        typer.echo(render.to_json(render.export_dict(report)))
    else:
        render.print_export(_stdout(), report)


@app.command()
@handles_errors
def stats(
    json_output: JsonFlag = False,
    index_dir: IndexDir = Path(DEFAULT_INDEX),
    backend: BackendChoice = None,
    opensearch_url: OpenSearchUrl = None,
    alias: Alias = DEFAULT_ALIAS,
    debug: Debug = False,
) -> None:
    """Show the size of the index and how many values each facet has.

    Example: accord stats --json
    """
    from search import render

    result = _backend(backend, index_dir, opensearch_url, alias, build=False).stats()
    if json_output:
        typer.echo(render.to_json(render.stats_dict(result)))
    else:
        render.print_stats(_stdout(), result)
