"""The index on disk: the only code that knows Whoosh's internals.

    folder    the index folder: whether it holds an index, the info file, opening with the
              schema version checked, creating, its size
    codec     how segments are written (W3 with posting blocks as arrays)
    terms     the term dictionary: front-coded blocks of terms in order, a term of one
              posting kept in its entry
    stored    stored fields, compressed in blocks of records
    text      the text field: positions as varint deltas, made in one pass of the analyzer
    writer    the segment writer, with posting runs spilled to disk in chunks and
              spelling words counted
    columns   per-segment numpy columns: documents, years, days, facet values, fingerprints,
              source files; joined with the copy groups
    copies    copy groups from the fingerprints (locality-sensitive hashing), joint statements' type
    postings  a term's postings, a field's lengths and a segment's deletions as numpy arrays

Nothing is imported here.
"""
