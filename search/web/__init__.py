"""`accord serve`: the search page, the document view, exports, a feed and the JSON API.

- `params`: URL query parameters -> SearchRequest, and the links that change one of them;
- `views`: results -> what the templates show (links, chips, highlighted pieces);
- `app`: the Starlette application, its routes and its safety rules;
- `serve`: uvicorn on a chosen or free port;
- `templates/`, `static/`: Jinja2 pages (autoescaped) and one stylesheet and script.

Nothing here imports Whoosh: pages are rendered from the same result types the CLI prints.
"""
