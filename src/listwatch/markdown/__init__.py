"""The list as text: lossless documents, links, entries and span edits.

A ``Document`` is a file's exact text; links and entries point into it by
span; ``apply_edits`` replaces spans and leaves every other character alone.
``escape`` makes outside text literal Markdown, in the list and in reports.
"""

from listwatch.markdown.document import Document, read_document
from listwatch.markdown.edits import EditConflict, apply_edits
from listwatch.markdown.entries import extract_entries
from listwatch.markdown.links import extract_links
from listwatch.markdown.reading import ListReading, read_list

__all__ = [
    "Document",
    "EditConflict",
    "ListReading",
    "apply_edits",
    "extract_entries",
    "extract_links",
    "read_document",
    "read_list",
]
