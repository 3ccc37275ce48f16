"""A second backend: an accord index exported to OpenSearch (or Elasticsearch, whose API is
the same for what accord asks): the mapping, the export, the query translation and the
read path behind the same result types as the Whoosh index."""
