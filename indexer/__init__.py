"""The write path: a folder of files becomes a Whoosh index of sections.

    sources   walk the corpus folder, read bytes, detect format and encoding -> RawFile
    convert   RawFile -> clean Markdown (HTML through bs4 + markdownify, furniture removed)
    sections  Markdown -> [Section(position, heading, text, language)]
    metadata  title, date, organisations (through orgs.toml), people, places, type
    language  the language of the document and of each section (declared or detected)
    analysis  how each language's text becomes index terms
    documents RawFile -> Document (the stages above, plus a content hash)
    schema    the Whoosh schema, its version, and Document <-> records
    build     incremental update of the index: add, replace, remove, keep

Nothing is imported here, so that `accord --help` stays fast.
"""
