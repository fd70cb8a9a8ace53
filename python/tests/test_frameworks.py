"""JAX and PyTorch interop via DLPack (skipped when the framework is not installed)."""
import numpy as np
import pytest

import horus


def _import_or_skip(name):
    try:
        return __import__(name)
    except Exception as e:  # ImportError or a broken install
        reason = f"{name} is not importable: {e}"
        print(reason)
        pytest.skip(reason)


def test_jax_from_dlpack():
    _import_or_skip("jax")
    img = horus.Image(48, 64, "rgb8")
    img.to_numpy()[:] = np.arange(64, dtype=np.uint8)[None, :, None]
    j = img.to_jax()
    assert j.shape == (48, 64, 3) and str(j.dtype) == "uint8"
    np.testing.assert_array_equal(np.asarray(j), img.to_numpy())
    t = horus.Tensor.from_numpy(np.linspace(0, 1, 256, dtype=np.float32).reshape(16, 16))
    jt = t.to_jax()
    np.testing.assert_allclose(np.asarray(jt * 2), t.to_numpy() * 2)
    # Zero-copy when JAX accepts the buffer: the JAX array points at the slot.
    try:
        ptr = jt.unsafe_buffer_pointer()
    except Exception:
        ptr = None
    if ptr is not None:
        assert ptr == t.data_ptr
    rx = horus.Tensor.from_descriptor(t.descriptor(), read_only=True)
    np.testing.assert_array_equal(np.asarray(rx.to_jax()), t.to_numpy())


def test_torch_from_dlpack():
    torch = _import_or_skip("torch")
    t = horus.Tensor([4, 4])
    pt = t.to_torch()
    pt[1, 1] = 5.0
    assert t[1, 1] == 5.0
    assert pt.data_ptr() == t.data_ptr
    img = horus.Image(2, 2, "mono8")
    assert torch.from_dlpack(img.as_tensor()).shape == (2, 2, 1)
