"""Facts about what a list links to, with the fewest requests the services allow.

- ``github.fetch_repos``: repository facts (GraphQL batches with a token, REST without).
- ``arxiv.fetch_papers``: arXiv records through the ``arxiv`` package (3 s spacing).
- ``preprints.find_publications``: where preprints were published, from
  ``dblp``, ``semantic_scholar`` and the arXiv record, weighed by
  ``publication.decide``. Venue names are ``listwatch.venues``' canonical short names.
"""
