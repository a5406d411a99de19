"""Joining whole PDFs made by ReportLab into one output PDF, streaming (see ``PdfJoiner``)."""

import re
from array import array
from typing import BinaryIO


def _found(pattern: bytes, data: bytes) -> bytes:
    """The first group of ``pattern`` in ``data``; ValueError if ReportLab wrote otherwise."""
    match = re.search(pattern, data)
    if match is None:
        raise ValueError(f"no {pattern!r} in the PDF")
    return match[1]


class PdfJoiner:
    """Append whole PDFs made by ReportLab to one output PDF, streaming.

    Each added document's objects are copied with new object numbers; its page-tree root
    becomes a child of the output's page tree. Only the byte offset of each object (an
    ``array`` of integers) and one object number per added document stay in memory.
    Relies on what ReportLab writes: a classic xref table, and objects whose dictionary
    holds no literal "stream" text.
    """

    _CATALOG, _PAGES, _INFO = 1, 2, 3
    _REF = re.compile(rb"(\d+) 0 R")
    _XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")

    def __init__(self, out: BinaryIO, *, title: str = "Badges") -> None:
        self._out = out
        self._position = 0
        self._offsets = array("Q", [0, 0, 0])  # objects 1–3 are written last
        self._kids = array("Q")
        self._pages = 0
        self._title = title
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    @property
    def page_count(self) -> int:
        return self._pages

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._position += len(data)

    def _new_number(self) -> int:
        self._offsets.append(0)
        return len(self._offsets)

    def add(self, pdf: bytes) -> None:
        startxref = pdf.rindex(b"startxref")
        xref_at = int(pdf[startxref + 9 :].split()[0])
        trailer_at = pdf.index(b"trailer", xref_at)
        section = pdf[xref_at:trailer_at]
        header = re.match(rb"xref\s+0\s+(\d+)\s+", section)
        if header is None:
            raise ValueError("not a classic xref table")
        entries = self._XREF_ENTRY.findall(section, header.end())
        offsets = {
            number: int(offset)
            for number, (offset, _gen, kind) in enumerate(entries)
            if kind == b"n" and number > 0
        }
        trailer = pdf[trailer_at:startxref]
        root = int(_found(rb"/Root (\d+) 0 R", trailer))
        info_match = re.search(rb"/Info (\d+) 0 R", trailer)
        skip = {root, int(info_match[1])} if info_match else {root}
        catalog = self._object_body(pdf, offsets[root])
        pages_root = int(_found(rb"/Pages (\d+) 0 R", catalog))
        numbers = {old: self._new_number() for old in sorted(offsets) if old not in skip}
        for old, new in numbers.items():
            body = self._object_body(pdf, offsets[old])
            cut = body.find(b"stream")
            head, tail = (body, b"") if cut < 0 else (body[:cut], body[cut:])
            head = self._REF.sub(lambda match: b"%d 0 R" % numbers[int(match[1])], head)
            if old == pages_root:
                head = head.replace(b"<<", b"<< /Parent %d 0 R" % self._PAGES, 1)
                self._pages += int(_found(rb"/Count (\d+)", head))
                self._kids.append(new)
            self._offsets[new - 1] = self._position
            self._write(b"%d 0 obj\n" % new)
            self._write(head)
            self._write(tail)
            self._write(b"\nendobj\n")

    @staticmethod
    def _object_body(pdf: bytes, offset: int) -> bytes:
        start = pdf.index(b"obj", offset) + 3
        end = pdf.index(b"endobj", start)
        return pdf[start:end].strip(b"\r\n")

    def finish(self) -> int:
        """Write page tree, catalog, info and xref; returns the number of pages."""
        kids = b" ".join(b"%d 0 R" % kid for kid in self._kids)
        title = self._title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
        for number, body in (
            (self._PAGES, b"<< /Type /Pages /Kids [ %s ] /Count %d >>" % (kids, self._pages)),
            (self._CATALOG, b"<< /Type /Catalog /Pages %d 0 R >>" % self._PAGES),
            (self._INFO, b"<< /Producer (Fairlead) /Title (%s) >>" % title),
        ):
            self._offsets[number - 1] = self._position
            self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        xref_at = self._position
        self._write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(self._offsets) + 1))
        for offset in self._offsets:
            self._write(b"%010d 00000 n \n" % offset)
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(self._offsets) + 1, self._CATALOG, self._INFO, xref_at)
        )
        return self._pages
