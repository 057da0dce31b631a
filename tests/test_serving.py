"""How the server answers: every connection sends at once (`fcviz.patches.reply_without_delay`)."""
import asyncio
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


def nodelay(patched: bool) -> int:
    """`nodelay_of_accepted_connection()` in a fresh Python (this one may have applied the patch already)."""
    code = ("import asyncio; from fcviz import patches; from tests.test_serving import nodelay_of_accepted_connection;"
            f"{'patches.reply_without_delay();' if patched else ''} print(asyncio.run(nodelay_of_accepted_connection()))")
    return int(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                              timeout=60).stdout)


def test_connections_to_a_socket_bound_as_streamlit_binds_it_send_at_once():
    assert nodelay(patched=False) == 0  # asyncio alone leaves Nagle's algorithm on
    assert nodelay(patched=True) != 0
