"""Topics from Python: horus.Publisher / horus.Subscriber across processes, zero-copy,
read-only received views, sample lifetime, type checks and cleanup of /dev/shm."""
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
import uuid

import numpy as np
import pytest

from conftest import NAMESPACE, PYTHON_DIR

import horus
from horus._lib import lib


def _unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _shm_files(ns):
    return sorted(f for f in os.listdir("/dev/shm") if f.startswith(f"horus-{ns}-"))


def _testproc():
    """The horus-testproc binary: $HORUS_BIN_DIR, else next to libhorus_c.so, else a
    build directory of the repository."""
    name = "horus-testproc"
    dirs = []
    if os.environ.get("HORUS_BIN_DIR"):
        dirs.append(os.environ["HORUS_BIN_DIR"])
    dirs.append(os.path.dirname(os.path.abspath(lib._name)))
    repo = os.path.dirname(PYTHON_DIR)
    for build in (".build", ".build-py", ".build-pytopics"):
        for config in ("release", "debug"):
            dirs.append(os.path.join(repo, build, config))
    for d in dirs:
        p = os.path.join(d, name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return shutil.which(name)


TESTPROC = _testproc()
needs_testproc = pytest.mark.skipif(TESTPROC is None, reason="horus-testproc not built (set HORUS_BIN_DIR)")


def _expected_image(i, shape=(32, 32, 3)):
    n = int(np.prod(shape))
    return ((i + np.arange(n)) % 251).astype(np.uint8).reshape(shape)


@needs_testproc
def test_receive_images_from_another_process():
    pool_name, topic, n = _unique("tp"), _unique("cam"), 300
    horus.Pool(pool_name)  # the publisher attaches to it: it must exist first
    with horus.Subscriber(topic, horus.Image, capacity=4096, wait="block") as sub:
        proc = subprocess.Popen([TESTPROC, "pub-images", pool_name, topic, str(n), "1", "200"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "publishing"
            got = []
            while len(got) < n:
                img = sub.recv(timeout=10)
                assert img is not None, f"timed out after {len(got)} images"
                assert isinstance(img, horus.Image)
                assert img.shape == (32, 32, 3) and img.encoding == "rgb8" and img.frame_id == "cam"
                assert img.is_read_only
                i = img.timestamp_ns
                np.testing.assert_array_equal(img.to_numpy(), _expected_image(i))
                got.append(i)
            assert got == list(range(n))  # every image, in order
            assert sub.dropped == 0
            assert sub.stats()["received"] == n
            assert proc.stdout.readline().strip() == f"published {n}"
        finally:
            proc.communicate("\n", timeout=30)
    assert proc.returncode == 0, proc.stderr


SUB_SCRIPT = textwrap.dedent("""
    import sys, numpy as np, horus
    topic, n = sys.argv[1], int(sys.argv[2])
    sub = horus.Subscriber(topic, horus.Image, capacity=1024)
    print("ready", flush=True)
    bad = out_of_order = 0
    last = -1
    received = 0
    for img in sub:
        i = img.timestamp_ns
        if i <= last: out_of_order += 1
        last = i
        exp = ((i * 7 + np.arange(img.nbytes)) % 256).astype(np.uint8).reshape(img.shape)
        if not np.array_equal(img.to_numpy(), exp) or img.frame_id != "py": bad += 1
        received += 1
        if received == n: break
    print(f"result received={received} bad={bad} outOfOrder={out_of_order} dropped={sub.dropped}", flush=True)
""")


def test_python_publisher_to_python_subscriber_in_subprocess():
    topic, n = _unique("pycam"), 100
    pool = horus.Pool(_unique("pypool"))  # the child has not attached it: the ring names it
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR)
    with horus.Publisher(topic, horus.Image, capacity=1024) as pub:
        proc = subprocess.Popen([sys.executable, "-c", SUB_SCRIPT, topic, str(n)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
            assert pub.wait_for_subscribers(1, timeout=30)
            for i in range(n):
                shape = (48, 64, 3)
                data = ((i * 7 + np.arange(int(np.prod(shape)))) % 256).astype(np.uint8).reshape(shape)
                img = horus.Image.from_numpy(data, pool=pool)
                img.timestamp_ns = i
                img.frame_id = "py"
                pub.send(img)
                time.sleep(0.0005)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, err
        assert out.strip() == f"result received={n} bad=0 outOfOrder=0 dropped=0"
        assert pub.published == n


def test_received_sample_is_the_published_slot():
    topic = _unique("zc")
    with horus.Publisher(topic, horus.Image) as pub, horus.Subscriber(topic, horus.Image) as sub:
        img = horus.Image(120, 160, "rgb8")
        pub.send(img)
        got = sub.recv(timeout=1)
        # Same pool and slot in the descriptor, same address in this process.
        assert got.descriptor()[4:12] == img.descriptor()[4:12]
        assert got.data_ptr == img.data_ptr
        # A write through the publisher's array after publishing is seen by the receiver.
        img.to_numpy()[5, 7] = (1, 2, 3)
        assert tuple(got.to_numpy()[5, 7]) == (1, 2, 3)
        arr = got.to_numpy()
        assert arr.__array_interface__["data"][0] == img.to_numpy().__array_interface__["data"][0]


def test_received_views_are_read_only():
    topic = _unique("ro")
    with horus.Publisher(topic, horus.DepthImage) as pub, horus.Subscriber(topic, horus.DepthImage) as sub:
        pub.send(horus.DepthImage(4, 4))
        got = sub.recv(timeout=1)
        assert got.is_read_only
        arr = got.to_numpy()
        assert not arr.flags.writeable
        with pytest.raises(ValueError):
            arr[0, 0] = 1.0
        with pytest.raises(ValueError):
            got[0, 0] = 1.0
        with pytest.raises(horus.ReadOnlyError):
            got += 1


def test_kept_view_survives_ring_overwrites():
    topic = _unique("life")
    with horus.Publisher(topic, horus.Tensor, capacity=4) as pub, \
            horus.Subscriber(topic, horus.Tensor, capacity=4) as sub:
        pub.send(horus.Tensor.from_numpy(np.full(1000, 42, np.int32)))
        kept = sub.recv(timeout=1).to_numpy()  # only the array is kept
        for i in range(200):  # the ring (4 entries) is overwritten 50 times
            pub.send(horus.Tensor.from_numpy(np.full(1000, i, np.int32)))
        assert np.all(kept == 42)
        latest = None
        while (s := sub.recv(timeout=0)) is not None:
            latest = s
        assert sub.dropped >= 190  # this subscriber fell behind: lapped
        assert latest is not None and np.all(latest.to_numpy() == 199)
        assert np.all(kept == 42)


def test_type_mismatch_names_both_types():
    topic = _unique("typed")
    with horus.Publisher(topic, horus.Image):
        assert horus.topic_type(topic) == "Image"
        with pytest.raises(horus.TopicTypeError) as e:
            horus.Subscriber(topic, horus.PointCloud)
        assert "Image" in str(e.value) and "PointCloud" in str(e.value)
        assert isinstance(e.value, TypeError)
        with pytest.raises(TypeError, match="PointCloud"):
            horus.Publisher(topic, horus.PointCloud)


@needs_testproc
def test_type_mismatch_against_another_process():
    pool_name, topic = _unique("tp"), _unique("cam")
    horus.Pool(pool_name)
    proc = subprocess.Popen([TESTPROC, "pub-images", pool_name, topic, "1", "0", "0"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "publishing"
        assert horus.topic_type(topic) == "Image"
        with pytest.raises(horus.TopicTypeError, match=r"Image.*PointCloud"):
            horus.Subscriber(topic, horus.PointCloud)
    finally:
        proc.communicate("\n", timeout=30)


def test_history_iteration_and_timeouts():
    topic = _unique("hist")
    with horus.Publisher(topic, horus.PointCloud, capacity=8) as pub:
        for i in range(5):
            c = horus.PointCloud(3)
            c.timestamp_ns = i
            pub.publish(c)
        with horus.Subscriber(topic, horus.PointCloud, history=3, wait="spin") as sub:
            stamps = []
            for cloud in sub:
                stamps.append(cloud.timestamp_ns)
                if len(stamps) == 3:
                    break
            assert stamps == [2, 3, 4]
            t0 = time.monotonic()
            assert sub.recv(timeout=0.05) is None
            assert time.monotonic() - t0 >= 0.04
            assert sub.try_recv() is None


def test_blocking_receive_wakes_on_publish():
    topic = _unique("wake")
    with horus.Publisher(topic, horus.Image) as pub, horus.Subscriber(topic, horus.Image, wait="block") as sub:
        result = []
        t = threading.Thread(target=lambda: result.append(sub.recv(timeout=None)))
        t.start()
        time.sleep(0.1)
        pub.send(horus.Image(2, 2))
        t.join(10)
        assert not t.is_alive() and isinstance(result[0], horus.Image)


def test_bad_arguments_raise():
    with pytest.raises(ValueError):
        horus.Subscriber("", horus.Image)
    with pytest.raises(ValueError):
        horus.Subscriber("x" * 200, horus.Image)
    with pytest.raises(ValueError):
        horus.Publisher(_unique("cap"), horus.Image, capacity=0)
    with pytest.raises(ValueError):
        horus.Subscriber(_unique("w"), horus.Image, wait="sometimes")
    with pytest.raises(TypeError):
        horus.Subscriber(_unique("t"), int)
    with pytest.raises(ValueError):
        horus.Subscriber(_unique("h"), horus.Image, history=-1)
    topic = _unique("bad")
    pub = horus.Publisher(topic, horus.Image)
    with pytest.raises(TypeError):
        pub.send(horus.Tensor([3]))
    with pytest.raises(TypeError):
        pub.send(np.zeros((2, 2, 3), np.uint8))
    sub = horus.Subscriber(topic, horus.Image)
    with pytest.raises(ValueError):
        sub.recv(timeout=-1)
    pub.close()
    pub.close()
    sub.close()
    with pytest.raises(ValueError, match="closed"):
        sub.recv(timeout=0)
    with pytest.raises(ValueError, match="closed"):
        pub.send(horus.Image(2, 2))
    assert horus.topic_type(_unique("absent")) is None


def test_c_abi_refuses_bad_handles():
    from ctypes import byref, c_void_p

    assert lib.horus_subscriber_receive(None, 0, byref(c_void_p())) == -1
    assert lib.horus_publisher_publish(None, None) == -1
    assert lib.horus_publisher_create(b"t", 7, 16, byref(c_void_p())) == -1
    assert lib.horus_subscriber_create(b"t", 1, 0, 16, 9, byref(c_void_p())) == -1
    assert lib.horus_publisher_create(None, 1, 16, byref(c_void_p())) == -1
    assert lib.horus_publisher_create(b"t", 1, 16, None) == -1
    topic = _unique("h").encode()
    sub = c_void_p()
    assert lib.horus_subscriber_create(topic, 1, 0, 16, 1, byref(sub)) == 0
    # A subscriber handle where a publisher is expected is recognized and refused.
    img = horus.Image(2, 2)
    assert lib.horus_publisher_publish(sub, img._h) == -1
    assert "not a horus publisher" in horus._lib.last_error()
    assert lib.horus_subscriber_destroy(sub) == 0
    assert lib.horus_subscriber_destroy(None) == 0


LEFTOVER_SCRIPT = textwrap.dedent("""
    import numpy as np, horus
    pub = horus.Publisher("cam", horus.Image, capacity=4)
    sub = horus.Subscriber("cam", horus.Image, capacity=4)
    sub2 = horus.Subscriber("depth", horus.DepthImage)
    keep = []
    for i in range(20):
        pub.send(horus.Image(48, 64, "rgb8", pool="camera"))
        s = sub.recv(0)
        if s is not None: keep.append(s.to_numpy())
    print("ok", len(keep) > 0, horus.topic_type("cam"))
    # exits with endpoints, received views and ring entries still alive
""")


def test_no_shared_memory_left_after_process_exit():
    ns = f"{NAMESPACE}-topics"
    env = dict(os.environ, HORUS_NAMESPACE=ns, PYTHONPATH=PYTHON_DIR)
    r = subprocess.run([sys.executable, "-c", LEFTOVER_SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok True Image"
    assert _shm_files(ns) == []


def _horus_run():
    d = os.environ.get("HORUS_BIN_DIR")
    if d and os.path.exists(os.path.join(d, "horus-run")):
        return os.path.join(d, "horus-run")
    return None


HORUS_RUN = _horus_run()


GRAPH_SUBSCRIBER_SCRIPT = textwrap.dedent("""
    import sys, numpy as np, horus
    sub = horus.Subscriber("/camera/depth", horus.DepthImage, capacity=4)
    print("subscribed", flush=True)
    stamps = []
    for _ in range(5):
        d = sub.recv(timeout=30)
        assert d is not None, "no depth image from the graph"
        a = d.to_numpy()
        assert a.shape == (480, 640) and a.dtype == np.float32, (a.shape, a.dtype)
        assert not a.flags.writeable, "received samples are read-only"
        # The camera looks down at the ground: the bottom center pixel sees it about 1.4 m away.
        assert 0.5 < float(a[470, 320]) < 3.0, float(a[470, 320])
        stamps.append(d.timestamp_ns)
    assert stamps == sorted(stamps) and len(set(stamps)) == 5
    print("ok", flush=True)
""")


@pytest.mark.skipif(HORUS_RUN is None, reason="horus-run not built (scripts/test-all builds it; set HORUS_BIN_DIR)")
def test_receive_from_horus_run_graph():
    """A Python process receives the depth images of a running horus-run graph (zero-copy views)."""
    ns = f"{NAMESPACE}-graph"
    env = dict(os.environ, HORUS_NAMESPACE=ns, PYTHONPATH=PYTHON_DIR)
    repo = os.path.dirname(PYTHON_DIR)
    py = subprocess.Popen([sys.executable, "-c", GRAPH_SUBSCRIBER_SCRIPT], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert py.stdout.readline().strip() == "subscribed"
    run = subprocess.Popen([HORUS_RUN, os.path.join(repo, "graphs", "camera_to_costmap.yaml"), "--duration", "60", "--quiet"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = py.communicate(timeout=120)
        assert py.returncode == 0, err
        assert out.strip() == "ok"
    finally:
        run.send_signal(2)  # SIGINT: clean stop
        rout, rerr = run.communicate(timeout=60)
    assert run.returncode == 0, rerr
    assert "end-to-end latency" in rout + rerr
    assert _shm_files(ns) == []


def _fds_and_mappings():
    with open("/proc/self/maps") as maps:
        return len(os.listdir("/proc/self/fd")), sum(1 for _ in maps)


def test_opening_and_closing_a_topic_200_times_leaks_no_descriptor_or_mapping():
    topic = _unique("leak")
    with horus.Publisher(topic, horus.Image, capacity=4):
        pass  # first use: the library's process-wide state
    before = _fds_and_mappings()
    for _ in range(200):
        with horus.Publisher(topic, horus.Image, capacity=4), horus.Subscriber(topic, horus.Image):
            pass
    assert _fds_and_mappings() == before
    assert not any(topic in f for f in os.listdir("/dev/shm")), "the ring went with its last endpoint"


def test_a_capacity_that_differs_from_the_existing_rings_is_refused_naming_both():
    topic = _unique("cap")
    with horus.Publisher(topic, horus.Image, capacity=64):
        with pytest.raises(horus.HorusTopicError, match=r"capacity 64.*capacity 8"):
            horus.Subscriber(topic, horus.Image, capacity=8)
        with horus.Subscriber(topic, horus.Image) as sub:  # None: the existing ring's
            assert sub is not None
