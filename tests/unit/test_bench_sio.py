"""The benchmark's WebSocket codec against wsproto (what the server uses), so its figures count
real frames; and the percentile the tables print."""

from __future__ import annotations

import random

import pytest
from bench.sio import FrameReader, ProtocolError, encode_frame
from bench.stats import percentile
from wsproto.connection import Connection, ConnectionType
from wsproto.events import Message, TextMessage
from wsproto.frame_protocol import Opcode


def _server_side() -> Connection:
    return Connection(ConnectionType.SERVER)


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 70000])
def test_client_frames_decode_on_the_server(size: int) -> None:
    text = "".join(random.choice("abc\u00e9\u20ac") for _ in range(size))
    server = _server_side()
    server.receive_data(encode_frame(text))
    received = "".join(e.data for e in server.events() if isinstance(e, TextMessage))
    assert received == text


def test_frames_read_together_come_out_in_order_and_split_ones_wait() -> None:
    server = _server_side()
    texts = [f"42[\"e\",{i}]" * random.randint(1, 400) for i in range(5)]
    wire = b"".join(server.send(Message(data=t)) for t in texts)
    reader, frames = FrameReader(), []
    cut = random.randint(1, len(wire) - 1)
    frames += reader.feed(wire[:cut])
    frames += reader.feed(wire[cut:])
    assert [(op, payload.decode()) for op, payload in frames] == [
        (Opcode.TEXT, t) for t in texts
    ]
    assert reader.buffer == b""


def test_masked_frames_from_a_server_are_refused() -> None:
    with pytest.raises(ProtocolError):
        FrameReader().feed(encode_frame("x"))


def test_percentile_is_nearest_rank() -> None:
    values = list(range(1, 101))
    random.shuffle(values)
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([7.0], 99) == 7.0
