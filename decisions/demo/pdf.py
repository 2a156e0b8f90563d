"""Write the small, valid PDF documents the demo attaches: plain A4 pages of text.

The demo needs real-looking attachments (a project plan, a budget, statutes) without pulling a
PDF library into the runtime for it: one page stream per page, the standard Helvetica fonts in
WinAnsiEncoding (which has å, ä, ö and the en dash) and a correct cross-reference table.
"""

import textwrap
from dataclasses import dataclass

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
LINES_PER_PAGE = 62
WRAP = 92  # characters of 10 pt Helvetica that fit between the margins


@dataclass(frozen=True)
class Line:
    """One line of text: its font ("F1" regular, "F2" bold), size and leading."""

    text: str
    font: str = "F1"
    size: int = 10
    leading: int = 13


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def layout(
    title: str, sections: list[tuple[str, str | list[str]]], *, subtitle: str = ""
) -> list[Line]:
    """Return the lines of a document: a title, then headed sections of paragraphs or rows."""
    lines = [Line(title, "F2", 16, 22)]
    if subtitle:
        lines.append(Line(subtitle, "F1", 10, 18))
    for heading, body in sections:
        if heading:
            lines.append(Line(""))
            lines.append(Line(heading, "F2", 11, 15))
        rows = body if isinstance(body, list) else [body]
        for row in rows:
            wrapped = textwrap.wrap(row, WRAP) or [""]
            lines.extend(Line(part) for part in wrapped)
    return lines


def render(lines: list[Line], *, title: str) -> bytes:
    """Return the bytes of a PDF showing ``lines``, paginated, with ``title`` in its metadata."""
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    # Objects: 1 catalog, 2 page tree, 3 and 4 fonts, 5 document info, then a page and its
    # content stream for each page.
    objects: list[bytes] = [b"", b"", b"", b"", b""]
    page_ids = []
    for page_lines in pages:
        stream = [b"BT", f"{MARGIN} {PAGE_HEIGHT - MARGIN} Td".encode()]
        for line in page_lines:
            stream.append(f"/{line.font} {line.size} Tf {line.leading} TL T*".encode())
            stream.append(b"(" + _escape(line.text) + b") Tj")
        stream.append(b"ET")
        content = b"\n".join(stream)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, content_id)
        )
        page_ids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = b" ".join(b"%d 0 R" % page_id for page_id in page_ids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    for index, font in ((2, b"Helvetica"), (3, b"Helvetica-Bold")):
        objects[index] = (
            b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % font
        )
    # Metadata strings are not WinAnsi: UTF-16 with a byte-order mark, written in hex.
    title_hex = (b"\xfe\xff" + title.encode("utf-16-be")).hex().upper().encode()
    objects[4] = b"<< /Title <%s> /Producer (Bidrag demo) >>" % title_hex

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def document(
    title: str, sections: list[tuple[str, str | list[str]]], *, subtitle: str = ""
) -> bytes:
    """Return a PDF with a title, an optional subtitle and headed sections."""
    return render(layout(title, sections, subtitle=subtitle), title=title)
