"""Bytes -> clean Markdown, plus what the file declares about itself (one module per format).

    converted    the Converted value every format gives
    dispatch     convert(RawFile): picks the format's converter (a saved page is HTML whatever its name)
    html         web pages: main content through BeautifulSoup, Markdown through markdownify
    pagemeta     a page's own description: og:, Dublin Core, citation_*, JSON-LD, <time>
    xml          XML: elements holding text are paragraphs, title-like elements headings
    pdf          PDF through pypdf, page by page
    frontmatter  YAML front matter of text and Markdown files
    records      JSON Lines, JSON arrays, CSV and SGML: one document per record
    sgml         Reuters-21578 and TREC-style <DOC> newswire files, as records
    repair       mojibake, furniture lines, bullets, words that lost their space
    boilerplate  lines that recur across a collection (site furniture), learned and left out

Nothing is imported here: bs4, markdownify and pypdf load only when a file needs them.
"""
