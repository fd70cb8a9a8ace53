"""Loans (unzeroed allocation): Tensor/Image/PointCloud/DepthImage.empty(), Publisher.loan(),
the C functions horus_*_loan from a C program, zero-fill staying the default, a loaned
image published to another process arriving intact, and a loan never showing bytes of
another namespace's pool."""
import os
import subprocess
import sys
import textwrap
import uuid

import numpy as np
import pytest

from conftest import NAMESPACE, PYTHON_DIR

import horus
from horus._lib import lib

MARK = 0xA5  # the byte pattern a dirtied slot holds


def _unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _dirty_then_free(pool, shape=(240, 320, 3), n=8):
    """Fills n slots of `pool` with MARK and releases them (the slots stay in the pool)."""
    imgs = [horus.Image.from_numpy(np.full(shape, MARK, np.uint8), pool=pool) for _ in range(n)]
    del imgs


def test_empty_has_the_geometry_and_is_writable():
    t = horus.Tensor.empty([3, 4], "int16")
    assert (t.shape, t.dtype, t.kind, t.is_read_only) == ((3, 4), "int16", "Tensor", False)
    img = horus.Image.empty(48, 64, "mono16")
    assert (img.height, img.width, img.channels, img.dtype, img.encoding) == (48, 64, 1, "uint16", "mono16")
    pc = horus.PointCloud.empty(10, "xyzi")
    assert (pc.shape, pc.format) == ((10, 4), "xyzi")
    d = horus.DepthImage.empty(4, 5, "uint16")
    assert (d.shape, d.unit) == ((4, 5), "millimeters")
    a = img.to_numpy()
    a[...] = 1234
    assert int(img.to_numpy().sum()) == 1234 * 48 * 64


def test_empty_reports_bad_arguments():
    with pytest.raises(ValueError, match="unknown image encoding 'nv12'"):
        horus.Image.empty(4, 4, "nv12")
    with pytest.raises(ValueError, match="negative extent -1"):
        horus.Tensor.empty([-1, 3])
    with pytest.raises(ValueError, match="height -2 out of range"):
        horus.DepthImage.empty(-2, 4)


def test_a_loan_keeps_old_bytes_and_create_still_zero_fills():
    pool = horus.Pool(_unique("lz"))
    _dirty_then_free(pool)
    loans = [horus.Image.empty(240, 320, "rgb8", pool=pool) for _ in range(8)]
    # Positive control: the freed, dirtied slots come back as loans with their bytes.
    assert any(int(x.to_numpy()[0, 0, 0]) == MARK for x in loans)
    del loans
    _dirty_then_free(pool)
    created = [horus.Image(240, 320, "rgb8", pool=pool) for _ in range(8)]
    assert all(not x.to_numpy().any() for x in created)
    del created
    _dirty_then_free(pool)
    assert all(not horus.Tensor([240, 320, 3], "uint8", pool=pool).to_numpy().any() for _ in range(8))


def test_publisher_loan_is_the_topic_type_unzeroed():
    topic = _unique("loan")
    with horus.Publisher(topic, horus.Image) as pub:
        s = pub.loan(6, 8, "bgr8")
        assert isinstance(s, horus.Image) and (s.shape, s.encoding, s.is_read_only) == ((6, 8, 3), "bgr8", False)
    with horus.Publisher(_unique("loan"), horus.Tensor) as pub:
        t = pub.loan([5], "float64")
        assert isinstance(t, horus.Tensor) and (t.shape, t.dtype) == ((5,), "float64")


def test_a_loan_made_in_one_call_carries_its_timestamp_and_returns_its_slot():
    """Image/DepthImage/PointCloud.empty make the loan and read its geometry in one call
    (the loan builtin, or its ctypes form): the timestamp starts at 0, a set one is what
    a subscriber receives, and dropping the loans gives their slots back."""
    pool = horus.Pool(_unique("loanpool"))
    before = pool.slots_in_use
    loans = [horus.Image.empty(4, 6, "rgb8", pool=pool), horus.DepthImage.empty(3, 5, "float32", pool=pool),
             horus.PointCloud.empty(7, "xyz", pool=pool)]
    assert pool.slots_in_use == before + 3
    assert [x.timestamp_ns for x in loans] == [0, 0, 0]
    assert [x.shape for x in loans] == [(4, 6, 3), (3, 5), (7, 3)]
    topic = _unique("loants")
    with horus.Publisher(topic, horus.Image) as pub, horus.Subscriber(topic, horus.Image, wait="spin") as sub:
        loans[0].timestamp_ns = 1234
        assert loans[0].timestamp_ns == 1234
        pub.send(loans[0])
        r = sub.recv(5)
        assert r.timestamp_ns == 1234 and r.shape == (4, 6, 3)
        del r
    del loans
    assert pool.slots_in_use == before


RECEIVER = textwrap.dedent("""
    import sys, hashlib, horus
    sub = horus.Subscriber(sys.argv[1], horus.Image, wait="spin")
    print("ready", flush=True)
    s = sub.recv(timeout=30)
    a = s.to_numpy()
    print(s.shape, s.encoding, s.timestamp_ns, s.frame_id, hashlib.sha256(a.tobytes()).hexdigest(), flush=True)
""")


def test_a_loaned_published_image_arrives_intact_in_another_process():
    import hashlib

    topic = _unique("loanx")
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR)
    with horus.Publisher(topic, horus.Image, capacity=4) as pub:
        p = subprocess.Popen([sys.executable, "-c", RECEIVER, topic], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        try:
            assert p.stdout.readline().strip() == "ready"
            assert pub.wait_for_subscribers(1, timeout=30)
            img = pub.loan(1080, 1920, "rgb8")
            frame = (np.arange(1080 * 1920 * 3, dtype=np.uint32) % 253).astype(np.uint8).reshape(1080, 1920, 3)
            np.copyto(img.to_numpy(), frame)
            img.timestamp_ns = 123456789
            img.frame_id = "cam0"
            pub.send(img)
            out, err = p.communicate(timeout=60)
        finally:
            if p.poll() is None:
                p.kill()
    assert p.returncode == 0, err
    want = f"(1080, 1920, 3) rgb8 123456789 cam0 {hashlib.sha256(frame.tobytes()).hexdigest()}"
    assert out.strip() == want


LOANER = textwrap.dedent("""
    import os, sys, horus
    pool = horus.Pool(sys.argv[1])
    loans = [horus.Image.empty(240, 320, "rgb8", pool=pool) for _ in range(int(sys.argv[2]))]
    marked = sum(int((x.to_numpy() == %d).all()) for x in loans)
    ns = os.environ["HORUS_NAMESPACE"]
    own = [f for f in os.listdir("/dev/shm") if f == f"horus-{ns}-pool-{sys.argv[1]}"]
    print(marked, len(own))
""" % MARK)


def _loan_in(ns, pool_name, n=16):
    env = dict(os.environ, HORUS_NAMESPACE=ns, PYTHONPATH=PYTHON_DIR)
    r = subprocess.run([sys.executable, "-c", LOANER, pool_name, str(n)], env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    marked, own = map(int, r.stdout.split())
    return marked, own


def test_a_loan_never_holds_bytes_of_another_namespace():
    # This process (namespace NAMESPACE) keeps pool P attached with dirtied free slots.
    name = _unique("shared")
    pool = horus.Pool(name)
    _dirty_then_free(pool, n=16)
    # Same namespace, another process: the loan sees the dirtied slots (the check works).
    marked_same, own_same = _loan_in(NAMESPACE, name)
    assert own_same == 1 and marked_same >= 1
    _dirty_then_free(pool, n=16)
    # Another namespace, same pool name: its own segment, never one of our bytes.
    other = f"{NAMESPACE}-other"
    marked_other, own_other = _loan_in(other, name)
    assert own_other == 1 and marked_other == 0
    assert not [f for f in os.listdir("/dev/shm") if f.startswith(f"horus-{other}-")]


C_PROGRAM = r"""
#include <stdio.h>
#include <string.h>
#include "horus_c_api.h"
#define CHECK(c) do { if (!(c)) { printf("FAIL line %d: %s (%s)\n", __LINE__, #c, horus_last_error()); return 1; } } while (0)
int main(void) {
  horus_pool_t *pool = NULL;
  CHECK(horus_pool_open("cloan", &pool) == HORUS_OK);
  /* dirty 4 slots and free them */
  horus_tensor_t *t[4];
  for (int i = 0; i < 4; i++) {
    CHECK(horus_image_create(pool, 480, 640, "rgb8", &t[i]) == HORUS_OK);
    void *d; CHECK(horus_tensor_data(t[i], &d) == HORUS_OK); memset(d, 0x5A, 480 * 640 * 3);
  }
  for (int i = 0; i < 4; i++) horus_tensor_release(t[i]);
  int seen = 0;
  for (int i = 0; i < 4; i++) {
    CHECK(horus_image_loan(pool, 480, 640, "rgb8", &t[i]) == HORUS_OK);
    horus_tensor_info_t info; CHECK(horus_tensor_info(t[i], &info) == HORUS_OK);
    CHECK(info.ndim == 3 && info.shape[0] == 480 && info.shape[1] == 640 && info.shape[2] == 3);
    CHECK(info.kind == HORUS_KIND_IMAGE && info.read_only == 0 && info.nbytes == 480 * 640 * 3);
    if (((unsigned char *)info.data)[0] == 0x5A) seen++;
  }
  CHECK(seen >= 1); /* loans keep old bytes */
  for (int i = 0; i < 4; i++) horus_tensor_release(t[i]);
  for (int i = 0; i < 4; i++) {
    CHECK(horus_image_create(pool, 480, 640, "rgb8", &t[i]) == HORUS_OK);
    unsigned char *d; CHECK(horus_tensor_data(t[i], (void **)&d) == HORUS_OK);
    for (int k = 0; k < 480 * 640 * 3; k++) CHECK(d[k] == 0); /* create still zero-fills */
  }
  for (int i = 0; i < 4; i++) horus_tensor_release(t[i]);
  int64_t shape[2] = {3, 5};
  horus_tensor_t *x = NULL, *bad = (horus_tensor_t *)0;
  CHECK(horus_tensor_loan(NULL, shape, 2, HORUS_DTYPE_F64, &x) == HORUS_OK);
  int32_t dt; CHECK(horus_tensor_dtype(x, &dt) == HORUS_OK && dt == HORUS_DTYPE_F64);
  horus_tensor_release(x);
  CHECK(horus_pointcloud_loan(NULL, 100, "xyzrgb", &x) == HORUS_OK);
  horus_tensor_release(x);
  CHECK(horus_depth_loan(NULL, 4, 4, "millimeters", &x) == HORUS_OK);
  horus_tensor_release(x);
  CHECK(horus_image_loan(NULL, 4, 4, "nv12", &bad) == HORUS_E_INVALID_ARGUMENT && bad == NULL);
  CHECK(strstr(horus_last_error(), "nv12") != NULL);
  CHECK(horus_tensor_loan(NULL, shape, 2, 99, &bad) == HORUS_E_INVALID_ARGUMENT && bad == NULL);
  CHECK(horus_depth_loan(NULL, -1, 4, "meters", &bad) == HORUS_E_INVALID_ARGUMENT);
  CHECK(horus_image_loan(NULL, 4, 4, "rgb8", NULL) == HORUS_E_INVALID_ARGUMENT);
  printf("ok\n");
  return 0;
}
"""


def _run_c_program(tmp_path, source, name):
    """Compiles `source` against libhorus_c, runs it in a namespace of its own and checks
    it printed "ok" and left nothing in /dev/shm."""
    cc = next((c for c in ("cc", "gcc", "clang") if subprocess.run(["which", c], capture_output=True).returncode == 0), None)
    assert cc, "a C compiler is needed for the C API test"
    include = os.path.join(os.path.dirname(PYTHON_DIR), "Sources", "CHorus", "include")
    libdir = os.path.dirname(os.path.abspath(lib._name))
    src = tmp_path / f"{name}.c"
    src.write_text(source)
    exe = tmp_path / name
    r = subprocess.run([cc, "-O1", "-o", str(exe), str(src), f"-I{include}", f"-L{libdir}", "-lhorus_c",
                        f"-Wl,-rpath,{libdir}"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    ns = f"{NAMESPACE}-{name}"
    r = subprocess.run([str(exe)], env=dict(os.environ, HORUS_NAMESPACE=ns), capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stdout + r.stderr
    assert not [f for f in os.listdir("/dev/shm") if f.startswith(f"horus-{ns}-")]


def test_c_api_loans(tmp_path):
    _run_c_program(tmp_path, C_PROGRAM, "c")


REUSE_PROGRAM = r"""
#include <stdio.h>
#include <string.h>
#include "horus_c_api.h"
#define CHECK(c) do { if (!(c)) { printf("FAIL line %d: %s (%s)\n", __LINE__, #c, horus_last_error()); return 1; } } while (0)
static int64_t in_use(horus_pool_t *p) { int64_t n = -1; horus_pool_slots_in_use(p, &n); return n; }
int main(void) {
  horus_pool_t *pool = NULL;
  CHECK(horus_pool_open("creuse", &pool) == HORUS_OK);
  int64_t base = in_use(pool), shape = 4096;
  /* A loan released and loaned again, many times: the handle reuses its storage object,
     every slot goes back, and each loan is a working sample of its own. */
  for (int i = 0; i < 2000; i++) {
    horus_tensor_t *t = NULL;
    CHECK(horus_tensor_loan(pool, &shape, 1, HORUS_DTYPE_U8, &t) == HORUS_OK);
    CHECK(in_use(pool) == base + 1);
    unsigned char *d; CHECK(horus_tensor_data(t, (void **)&d) == HORUS_OK);
    memset(d, i & 0xFF, 4096);
    horus_tensor_release(t);
    CHECK(in_use(pool) == base);
  }
  /* A view (slice) shares the loan's storage: releasing the loan must not let the next
     loan take that object or slot; the view's bytes stay. */
  horus_tensor_t *a = NULL, *view = NULL, *b = NULL;
  CHECK(horus_tensor_loan(pool, &shape, 1, HORUS_DTYPE_U8, &a) == HORUS_OK);
  unsigned char *da; CHECK(horus_tensor_data(a, (void **)&da) == HORUS_OK);
  memset(da, 0x11, 4096);
  CHECK(horus_tensor_slice(a, 0, 0, 4096, 1, &view) == HORUS_OK);
  horus_tensor_release(a);
  CHECK(horus_tensor_loan(pool, &shape, 1, HORUS_DTYPE_U8, &b) == HORUS_OK);
  unsigned char *db, *dv;
  CHECK(horus_tensor_data(b, (void **)&db) == HORUS_OK && horus_tensor_data(view, (void **)&dv) == HORUS_OK);
  CHECK(db != dv);
  memset(db, 0x22, 4096);
  for (int k = 0; k < 4096; k++) CHECK(dv[k] == 0x11);
  CHECK(in_use(pool) == base + 2);
  horus_tensor_release(view);
  horus_tensor_release(b);
  CHECK(in_use(pool) == base);
  /* A retained loan: the first release leaves it usable, the second gives the slot back. */
  CHECK(horus_tensor_loan(pool, &shape, 1, HORUS_DTYPE_U8, &a) == HORUS_OK);
  CHECK(horus_tensor_retain(a) == HORUS_OK);
  horus_tensor_release(a);
  CHECK(horus_tensor_data(a, (void **)&da) == HORUS_OK);
  memset(da, 0x33, 4096);
  CHECK(in_use(pool) == base + 1);
  horus_tensor_release(a);
  CHECK(in_use(pool) == base);
  /* A loan the pool cannot serve fails cleanly, and the next one works. */
  int64_t huge[3] = {65536, 65536, 1}; /* 4 GiB: a valid shape no slot class holds */
  horus_tensor_t *no = NULL;
  CHECK(horus_tensor_loan(pool, huge, 3, HORUS_DTYPE_U8, &no) == HORUS_E_POOL && no == NULL);
  CHECK(horus_tensor_loan(pool, &shape, 1, HORUS_DTYPE_U8, &a) == HORUS_OK);
  horus_tensor_release(a);
  CHECK(in_use(pool) == base);
  printf("ok\n");
  return 0;
}
"""


def test_c_loans_reuse_their_storage_safely(tmp_path):
    """A released C loan's handle keeps its storage object for the next loan (no allocation
    per loan): slots all go back, a view of a released loan keeps its own slot and bytes, a
    retained loan survives one release, and a failed loan leaves the next one working."""
    _run_c_program(tmp_path, REUSE_PROGRAM, "creuse")
