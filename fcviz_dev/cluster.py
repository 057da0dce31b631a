"""An external Dask cluster started as the README says: `dask scheduler` and `dask worker` as processes."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from typing import Iterator

from fcviz_dev.appserver import free_port


@contextlib.contextmanager
def external_cluster(n_workers: int = 1) -> Iterator[str]:
    """Yield the scheduler's address; the workers connect on their own (wait for them with a Client)."""
    bin_dir = os.path.dirname(sys.executable)
    address = f"tcp://127.0.0.1:{free_port()}"
    silent = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([f"{bin_dir}/dask", "scheduler", "--host", "127.0.0.1",
                               "--port", address.rsplit(":", 1)[1], "--no-dashboard"], **silent)]
    try:
        for _ in range(n_workers):
            procs.append(subprocess.Popen([f"{bin_dir}/dask", "worker", address, "--nthreads", "1",
                                           "--no-dashboard"], **silent))
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
