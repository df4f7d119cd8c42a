"""The embedded NATS server: JetStream works, and survives a stop/start with its streams."""

from __future__ import annotations

import socket
from pathlib import Path

import nats
import pytest
from nats.js.api import StorageType, StreamConfig

from lingxi_common.runtime.embedded_nats import EmbeddedNats, jetstream_ready, nats_server_binary
from lingxi_common.runtime.errors import PortInUseError
from lingxi_common.runtime.ports import find_free_port
from lingxi_common.testing import NatsServer


def test_binary_comes_from_the_wheel() -> None:
    binary = nats_server_binary()
    assert binary.name == "nats-server"
    assert binary.is_file()


async def test_jetstream_publish_is_acknowledged(restartable_nats: EmbeddedNats) -> None:
    client = await nats.connect(restartable_nats.url)
    try:
        js = client.jetstream()
        await js.add_stream(StreamConfig(name="ORDERS", subjects=["orders.>"], storage=StorageType.FILE))
        ack = await js.publish("orders.created", b"order-1", headers={"Nats-Msg-Id": "order-1"})
        assert ack.stream == "ORDERS"
        assert ack.seq == 1
        duplicate = await js.publish("orders.created", b"order-1", headers={"Nats-Msg-Id": "order-1"})
        assert duplicate.duplicate is True
    finally:
        await client.close()


async def test_stream_and_messages_survive_stop_and_start(restartable_nats: EmbeddedNats) -> None:
    client = await nats.connect(restartable_nats.url)
    js = client.jetstream()
    await js.add_stream(StreamConfig(name="EVENTS", subjects=["events.>"], storage=StorageType.FILE))
    await js.publish("events.one", b"1")
    await js.publish("events.two", b"2")
    await client.close()

    port = restartable_nats.port
    restartable_nats.stop()
    assert not restartable_nats.is_running()
    assert not jetstream_ready("127.0.0.1", port)
    restartable_nats.start()
    assert restartable_nats.port == port

    client = await nats.connect(restartable_nats.url)
    try:
        js = client.jetstream()
        info = await js.stream_info("EVENTS")
        assert info.state.messages == 2
        message = await js.get_msg("EVENTS", seq=2)
        assert message.data == b"2"
    finally:
        await client.close()


def test_readiness_probe_speaks_nats(restartable_nats: EmbeddedNats) -> None:
    assert jetstream_ready(restartable_nats.host, restartable_nats.port)
    with socket.socket() as listener:  # a TCP port that answers, but not NATS
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert not jetstream_ready("127.0.0.1", listener.getsockname()[1], timeout=0.3)


def test_port_collision_names_the_holder(restartable_nats: EmbeddedNats, tmp_path: Path) -> None:
    clash = EmbeddedNats(tmp_path / "clash", restartable_nats.port)
    with pytest.raises(PortInUseError) as caught:
        clash.start()
    assert f"127.0.0.1:{restartable_nats.port} is already in use by nats-server" in str(caught.value)
    assert "NATS_URL" in str(caught.value)


def test_monitor_port(tmp_path: Path) -> None:
    monitor = find_free_port()
    with EmbeddedNats(tmp_path / "mon", find_free_port(), monitor_port=monitor) as server:
        assert server.monitor_url == f"http://127.0.0.1:{monitor}"
        with socket.create_connection(("127.0.0.1", monitor), timeout=2):
            pass


async def test_session_fixture_has_jetstream(nats_server: NatsServer) -> None:
    client = await nats.connect(nats_server.url)
    try:
        account = await client.jetstream().account_info()
        assert account.limits is not None
    finally:
        await client.close()
