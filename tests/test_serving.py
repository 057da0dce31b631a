"""How the server answers: every connection sends at once (`fcviz.patches.reply_without_delay`)."""
import asyncio
import asyncio.base_events
import socket
from concurrent.futures import ThreadPoolExecutor

from fcviz import patches


async def nodelay_of_accepted_connection() -> int:
    """TCP_NODELAY of the server side of a connection to an asyncio server listening on a socket made as Streamlit
    makes its own: `socket.socket(AF_INET, SOCK_STREAM)`, protocol number 0."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = asyncio.get_running_loop().create_future()

    def connected(reader, writer):
        accepted.set_result(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(connected, sock=listener)
    async with server:
        _, writer = await asyncio.open_connection(*listener.getsockname())
        value = await asyncio.wait_for(accepted, 10)
        writer.close()
    return value


def nodelay() -> int:
    """`nodelay_of_accepted_connection()` on an event loop of its own (this thread may run Playwright's)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, nodelay_of_accepted_connection()).result()


def test_connections_to_a_socket_bound_as_streamlit_binds_it_send_at_once(monkeypatch):
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", asyncio.base_events._set_nodelay)  # undone after
    assert nodelay() == 0  # asyncio alone leaves Nagle's algorithm on
    patches.reply_without_delay()
    assert nodelay() != 0
