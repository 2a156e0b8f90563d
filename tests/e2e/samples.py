"""What an applicant types and uploads in the browser tests: numbers that pass the checks, a PDF."""

import random
import re

from stdnum import luhn


def org_number() -> str:
    """Return a fresh valid organisation number of a legal person (third digit 2 or more)."""
    body = f"80{random.randint(2, 9)}{random.randint(0, 999_999):06d}"
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def bankgiro() -> str:
    """Return a valid eight-digit Bankgiro number written as people do: 5123-4567."""
    body = f"5{random.randint(0, 999_999):06d}"
    number = body + luhn.calc_check_digit(body)
    return f"{number[:4]}-{number[4:]}"


def wrong_bankgiro(valid: str) -> str:
    """Return ``valid`` with a wrong check digit."""
    last = int(valid[-1])
    return valid[:-1] + str((last + 1) % 10)


def pdf(text: str = "Projektplan") -> bytes:
    """Return a small real PDF: one A4 page with ``text`` in Helvetica, a correct xref table."""
    safe = re.sub(r"[^A-Za-z0-9 .,:-]", "", text)
    stream = f"BT /F1 18 Tf 72 760 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
