"""Ranking: which sections match a request, and in what order.

    matching   the request's query and filters -> Matches (best first), all -> any fallback
    scoring    BM25F scores with numpy from decoded posting blocks
    weighting  the BM25F weighting (Robertson-Spärck Jones idf) searchers rank with
    feedback   pseudo-relevance feedback: words the best documents share rescore the matches
    explain    with --explain: each matched term, its origin and the score it adds

Nothing is imported here.
"""
