"""The read path: a request becomes ranked, faceted, rendered results.

    query     CLI values -> SearchRequest (validated) -> Whoosh query and filter
    engine    runs the request: all->any fallback, sections grouped by document
    facets    counts distinct documents per facet value
    snippets  section text + matched terms -> plain snippet with highlight offsets
    render    results -> terminal (Rich), JSON or CSV; the only module that knows formats
    cli       the Typer app

Nothing is imported here, so that `accord --help` stays fast.
"""
