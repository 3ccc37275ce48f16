"""The read path: a request becomes ranked, faceted, rendered results.

    request = request.SearchRequest(text, filters, ...)     # validated, no Whoosh
    result = engine.search(index_dir, request)              # rank.matching -> facets -> snippets
    render.search_output(result, format, console)           # text, JSON or CSV

    request    options -> a validated SearchRequest
    results    the result types every output takes (no Whoosh)
    syntax     a query as typed -> Whoosh's syntax: punctuation, -exclusion, date:, bounds
    query      a request's text and filters -> Whoosh queries
    values     field queries (person:pillay) -> the indexed facet values they name
    patterns   wildcards and fuzzy terms expanded over the index's words as written
    aliases    organisation names in a query widened to all their aliases
    searcher   the open searcher per index, reopened when the index changes
    engine     search (each text once, its copies listed), show (with translations and copies), stats
    rank/      matching, scoring, weighting, feedback, explain (see its map)
    facets     counts distinct documents per facet value
    snippets   section text + matched terms -> plain snippet with highlight offsets
    suggest    "Did you mean": corrections from the index's own words
    batch      a file of queries, one ranked list each
    render     results -> terminal (Rich), JSON, CSV, TREC; the only module that knows formats
    cli        the Typer app
    remote     `accord search` through a running `accord serve` on the same index

Nothing is imported here, so that `accord --help` stays fast.
"""
