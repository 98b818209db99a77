"""The files of a generation: drops (CSV or NDJSON, encoded a chunk at a time and streamed to
the server as they are made) and receipts (a small PDF, or a PNG "scan", per order that has one).

Both receipt formats are written by hand, without libraries; they are valid files that PDF
viewers and the server's image preview open.

>>> receipt_pdf(["DUCKLAKE SHOP", "Order 42"])[:8]
b'%PDF-1.4'
>>> receipt_png(["DUCKLAKE SHOP", "Order 42"], 42)[:8]
b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

import io
import struct
import zlib
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from .tables import OrdersChunk, TableSpec, product_traits

ENCODE_ROWS = 5_000
CONTENT_TYPES = {"csv": "text/csv", "ndjson": "application/x-ndjson", "pdf": "application/pdf", "png": "image/png"}


class Drop:
    """One drop object: ``frames`` (a chunk at a time) in ``spec``'s format, with the columns of
    ``batch``'s drops. Iterate :meth:`encoded` once; ``rows`` then says how many it held.

    >>> plan = Plan(scale=1, seed=7, batches=3)
    >>> drop = Drop(ORDERS, 2, "drops/batch-02/orders.csv", orders_frames(plan, 2))
    >>> sum(len(piece) for piece in drop.encoded()), drop.rows   # bytes, rows (10 re-sent, 1056 new)
    (65058, 1066)
    """

    def __init__(self, spec: TableSpec, batch: int, key: str, frames: Iterable[pd.DataFrame]):
        self.spec, self.batch, self.key = spec, batch, key
        self.columns = spec.file_columns(batch)
        self.content_type = CONTENT_TYPES[spec.format]
        self.rows = 0
        self._frames = frames

    def encoded(self) -> Iterator[bytes]:
        for frame in self._frames:
            # pandas' writers need several times the text's size while they work: a slice at a time.
            for start in range(0, len(frame), ENCODE_ROWS):
                yield self._encode(frame.iloc[start:start + ENCODE_ROWS])
            # Let go of this chunk before the next is made: the loop would hold it until then.
            del frame

    def _encode(self, part: pd.DataFrame) -> bytes:
        part = part[list(self.columns)]
        if self.spec.format == "csv":
            text = part.to_csv(index=False, header=self.rows == 0, float_format="%.2f", lineterminator="\n")
        else:
            text = part.to_json(orient="records", lines=True, force_ascii=False)
            text += "" if text.endswith("\n") else "\n"
        self.rows += len(part)
        return text.encode("utf-8")


class ChunkReader(io.RawIOBase):
    """A read-only binary file over an iterator of byte strings, so that
    :meth:`ducklake.Client.put_object` streams a drop while it is being made (a chunked upload
    of unknown length) and never holds more than one encoded chunk."""

    def __init__(self, chunks: Iterable[bytes]):
        super().__init__()
        self._chunks = iter(chunks)
        self._buffer = b""
        self._offset = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            rest = [self._buffer[self._offset:], *self._chunks]
            self._buffer, self._offset = b"", 0
            return b"".join(rest)
        while len(self._buffer) - self._offset < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer = self._buffer[self._offset:] + chunk
            self._offset = 0
        piece = self._buffer[self._offset:self._offset + size]
        self._offset += len(piece)
        return piece


# --- receipts -------------------------------------------------------------------------------------

RECEIPT_WIDTH = 38  # characters of a receipt line


def _money_line(label: str, amount: str) -> str:
    return f"{label[:RECEIPT_WIDTH - len(amount) - 1]:<{RECEIPT_WIDTH - len(amount)}}{amount}"


def receipt_lines(made: OrdersChunk, seed: int) -> Iterator[tuple[int, str, list[str]]]:
    """``(order_id, receipt_key, lines of text)`` of each order of the chunk that has a receipt."""
    orders = made.orders
    with_receipt = np.flatnonzero(orders["receipt_key"].notna().to_numpy())
    if not len(with_receipt):
        return
    items = made.items
    ends = np.append(made.first_line[1:], len(items))
    for index in with_receipt.tolist():
        order = orders.iloc[index]
        lines = items.iloc[made.first_line[index]:ends[index]]
        names = product_traits(lines["product_id"].to_numpy(), seed).name
        text = ["DUCKLAKE SHOP", f"Receipt for order {order.order_id}",
                f"{order.order_ts.replace('T', ' ')}  {order.channel}", f"Customer {order.customer_id}",
                "-" * RECEIPT_WIDTH]
        for line, name in zip(lines.itertuples(index=False), names):
            text.append(_money_line(f"{line.quantity} x {name}", f"{line.quantity * line.unit_price:.2f}"))
            if not pd.isna(line.discount_pct):
                text.append(f"   discount {line.discount_pct}%")
        if order.coupon_code:
            text.append(f"Coupon {order.coupon_code}")
        text += [_money_line("Shipping", f"{order.shipping:.2f}"), "-" * RECEIPT_WIDTH,
                 _money_line("TOTAL EUR", f"{order.total_amount:.2f}"), "", "Thank you for shopping with us"]
        yield int(order.order_id), order.receipt_key, text


def _pdf_text(line: str) -> str:
    # Courier's standard encoding covers ASCII; anything else would print as garbage.
    ascii_line = line.encode("ascii", "replace").decode("ascii")
    return ascii_line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def receipt_pdf(lines: list[str]) -> bytes:
    """A one-page PDF 1.4 of ``lines`` in Courier, on a till-roll page (80 mm wide)."""
    leading, margin = 12, 24
    height = 2 * margin + leading * len(lines)
    shown = "".join(f"({_pdf_text(line)}) Tj T* " for line in lines)
    content = f"BT /F1 9 Tf {leading} TL {margin // 2} {height - margin} Td {shown}ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 227 {height}] /Resources << /Font << /F1 4 0 R >> >> "
        f"/Contents 5 0 R >>".encode("ascii"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def receipt_png(lines: list[str], order_id: int) -> bytes:
    """A grey-scale PNG "scan" of a till receipt: each character of ``lines`` a dark block on
    off-white paper, and a barcode of ``order_id`` at the foot."""
    cell_w, cell_h, margin = 3, 7, 6
    width = 2 * margin + cell_w * RECEIPT_WIDTH
    barcode_h = 16
    height = 2 * margin + cell_h * len(lines) + barcode_h
    image = np.full((height, width), 244, dtype=np.uint8)
    for row, line in enumerate(lines):
        top = margin + row * cell_h
        for column, char in enumerate(line[:RECEIPT_WIDTH]):
            if not char.isspace():
                left = margin + column * cell_w
                image[top + 1:top + cell_h - 2, left:left + cell_w - 1] = 60
    bits = [(order_id >> shift) & 1 for shift in range(31, -1, -1)]
    top = height - margin - barcode_h
    for index, bit in enumerate(bits):
        left = margin + index * 3
        image[top:top + barcode_h, left:left + (2 if bit else 1)] = 20
    raw = b"".join(b"\x00" + image[y].tobytes() for y in range(height))  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(raw, 9))
            + _png_chunk(b"IEND", b""))


def render_receipt(key: str, lines: list[str], order_id: int) -> bytes:
    """The receipt at ``key``: a PDF for ``….pdf``, else a PNG scan."""
    return receipt_pdf(lines) if key.endswith(".pdf") else receipt_png(lines, order_id)
