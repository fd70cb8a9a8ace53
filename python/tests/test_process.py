"""Process-level behaviour: pools leave nothing in /dev/shm after the process exits
(the Swift atexit hook detaches them), even with views and capsules still alive."""
import os
import subprocess
import sys
import textwrap

from conftest import NAMESPACE, PYTHON_DIR

SCRIPT = textwrap.dedent("""
    import numpy as np, horus
    keep = []
    for i in range(50):
        t = horus.Tensor([1024, 256])
        keep.append(t.to_numpy())
    img = horus.Image(480, 640, "rgb8", pool="camera")
    cap = img.__dlpack__(max_version=(1, 0))     # never consumed
    arr = np.from_dlpack(horus.DepthImage(4, 4))  # consumed, still alive at exit
    print("ok", horus.Pool("camera").slots_in_use)
""")


def _shm_files(ns):
    return sorted(f for f in os.listdir("/dev/shm") if f.startswith(f"horus-{ns}-"))


def test_no_shared_memory_left_after_process_exit():
    ns = f"{NAMESPACE}-sub"
    env = dict(os.environ, HORUS_NAMESPACE=ns, PYTHONPATH=PYTHON_DIR)
    r = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok 1")
    assert _shm_files(ns) == []


def test_this_session_uses_its_own_namespace():
    import horus

    horus.Tensor([4])
    files = _shm_files(NAMESPACE)
    assert files and all(f.startswith(f"horus-{NAMESPACE}-pool-") for f in files)
