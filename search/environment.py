"""The environment variables the command line reads, and the defaults they replace: in a
module of their own, so that the first step of `accord` (search.launcher) reads them
without importing anything else."""

INDEX_ENV = "ACCORD_INDEX"
DEFAULT_INDEX = "index"
"""The index folder of a command that names none, unless $ACCORD_INDEX does."""
CORPUS_ENV = "ACCORD_CORPUS"
URL_ENV = "ACCORD_OPENSEARCH_URL"
"""The OpenSearch cluster to search, when set (search.backend)."""
ALIAS_ENV = "ACCORD_OPENSEARCH_ALIAS"
