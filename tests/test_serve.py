"""serve.py's reading of its options and environment, and the HAProxy configuration it writes for several page servers
(checked by HAProxy itself: Debian's `haproxy -c`)."""
import os
import shutil
import subprocess
import sys

import pytest

import serve
from fcviz import environment


def test_the_options_every_page_server_gets_are_the_given_ones_but_where_it_listens():
    options = ["--server.port", "8502", "--server.headless", "true", "--server.address=0.0.0.0", "--x", "y"]
    assert serve.port_of(options) == 8502 and serve.port_of(["--server.port=80"]) == 80 and serve.port_of([]) == 8501
    assert serve.option_value(options, "--server.address") == "0.0.0.0"
    assert serve.option_value(options, "--server.baseUrlPath") is None
    assert serve.without(options, "--server.port", "--server.address") == ["--server.headless", "true", "--x", "y"]


DEFAULT = min(serve.CLASS_PAGE_SERVERS, os.cpu_count())


@pytest.mark.parametrize("value, servers", [("", DEFAULT), ("1", 1), ("4", 4), ("0", DEFAULT), ("-2", DEFAULT),
                                             ("two", DEFAULT), ("65", DEFAULT), ("²", DEFAULT)])
def test_page_servers_are_a_whole_number_from_1_to_64_else_a_class_servers(monkeypatch, caplog, value, servers):
    monkeypatch.setenv(environment.PAGE_SERVERS, value)
    assert serve.page_server_count() == servers
    assert (environment.PAGE_SERVERS in caplog.text) == (value not in ("", "1", "4"))  # a mistyped value is logged


@pytest.mark.parametrize("address", ["", "0.0.0.0", "127.0.0.1", "::"])
def test_haproxy_accepts_the_configuration_and_keeps_each_browser_on_one_page_server(tmp_path, address):
    haproxy = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin")
    assert haproxy, "no HAProxy: run `make test` (it installs Debian's haproxy)"
    text = serve.proxy_config(address, 8501, [40001, 40002])
    assert "server page1 127.0.0.1:40001 check cookie page1" in text
    assert "server page2 127.0.0.1:40002 check cookie page2" in text
    assert f"cookie {serve.STICKY_COOKIE} insert" in text and "balance leastconn" in text
    config = tmp_path / "haproxy.cfg"
    config.write_text(text)
    checked = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_serve_py_reaches_haproxy_where_this_machine_can():
    assert serve.local_base("", 8501) == serve.local_base("0.0.0.0", 8501) == "http://127.0.0.1:8501"
    assert serve.local_base("::", 80) == "http://127.0.0.1:80"
    assert serve.local_base("10.0.0.5", 80) == "http://10.0.0.5:80" and serve.local_base("::1", 80) == "http://[::1]:80"


def test_the_process_that_holds_the_cluster_does_not_load_tensorflow():
    """serve.py starts the training cluster in its own process (the scheduler lives there): what it imports for that
    must not bring TensorFlow and Keras in (~500 MiB resident, for a process that never trains)."""
    check = ("import sys; import fcviz.train.engine, fcviz.train.job, fcviz.train.slots, fcviz.store.database; "
             "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"


def test_the_page_servers_watch_no_source_file():
    """Streamlit's default polls every module the app ran for changes (no watchdog package here): 3 % of the page
    servers' CPU in a class of 100, for a reload nobody in a class wants. The app's config turns it off, as
    Streamlit reads it from the folder the servers start in."""
    from streamlit import config

    config.get_config_options(force_reparse=True)
    assert config.get_option("server.fileWatcherType") == "none"
