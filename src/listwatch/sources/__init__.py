"""Facts about what a list links to, with the fewest requests the services allow.

Every source is built with a ``SourceContext`` and answers ``fetch(keys)`` with a
``SourceResult`` (``interface.py``):

- ``github.GitHubRepos``: repository facts (GraphQL batches with a token, REST without).
- ``arxiv.ArxivPapers``: arXiv records through the ``arxiv`` package (3 s spacing).
- ``semantic_scholar.SemanticScholarPapers`` and ``dblp.DblpMatches``: where
  preprints were published, weighed by ``publication.decide`` in
  ``preprints.find_publications``.
- ``wayback.WaybackSnapshots``: archived copies of dead links.
Venue names are ``listwatch.venues``' canonical short names; the list's own
spelling is applied where the list is edited (``proposals``).
"""
