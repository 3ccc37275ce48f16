"""The write path: a folder of files becomes a Whoosh index of sections.

    for each file under the corpus (sources), changed since the index saw it (store.columns):
        markdown = convert.dispatch.convert(raw)            # clean text and the page's own metadata
        sections = sections.split_sections(markdown)        # at headings, lead lines, 3,000 characters
        document = documents.parse(raw)                     # + metadata, languages, content hash
        writer.add_document(**record) for record in schema.records(document)
    one commit (build), then the document columns and copy groups (store.columns, store.copies)

    errors     AccordError (exit 1) and InvalidInput (exit 2)
    fields     field names, facet fields, content languages (imports nothing)
    arrays     numpy helpers both packages use (distinct values)
    sources    walk the corpus folder, read bytes, detect format and encoding
    convert/   bytes -> clean Markdown, one module per format (see its map)
    sections   Markdown -> [Section(position, heading, text, language)]
    metadata/  Metadata and its extraction: dates, people, places, organisations (see its map)
    language   the language of the document and of each section (declared or detected)
    analysis   how each language's text becomes index terms
    documents  RawFile -> Document (the stages above, plus a content hash)
    fingerprint a document's exact hash and MinHash signature, for finding its copies
    schema     the Whoosh schema, its version, and Document <-> records
    build      one incremental, all-or-nothing indexing run
    watch      `accord watch`: a run after every burst of changes
    store/     the index on disk, the only code that knows Whoosh's internals (see its map)

Nothing is imported here, so that `accord --help` stays fast.
"""
