"""`pip install ./python` into a fresh virtual environment gives a working package: the
build backend builds libhorus_c.so with swift and puts it in the wheel, so the installed
package works with no HORUS_LIB_DIR and from any directory."""
import os
import subprocess
import sys
import tempfile

from conftest import NAMESPACE, PYTHON_DIR


def test_pip_install_into_fresh_venv_works():
    with tempfile.TemporaryDirectory(prefix="horus-venv-") as tmp:
        venv = os.path.join(tmp, "venv")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        py = os.path.join(venv, "bin", "python")
        env = {k: v for k, v in os.environ.items() if k not in ("HORUS_LIB_DIR", "PYTHONPATH")}
        if "/opt/swift/usr/bin" not in env.get("PATH", "") and os.path.exists("/opt/swift/usr/bin/swift"):
            env["PATH"] = "/opt/swift/usr/bin:" + env.get("PATH", "")
        install = subprocess.run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PYTHON_DIR],
                                 cwd=tmp, env=env, capture_output=True, text=True)
        assert install.returncode == 0, install.stdout + install.stderr
        # Nothing staged was left in the source tree.
        assert not [f for f in os.listdir(os.path.join(PYTHON_DIR, "horus")) if f.endswith(".so")]
        env["HORUS_NAMESPACE"] = NAMESPACE + "-venv"
        probe = (
            "import os, horus, horus._lib as l\n"
            "print(l.lib._name)\n"
            "t = horus.Tensor((2, 3))\n"
            "a = t.to_numpy(); a[...] = 7\n"
            "print(float(t.to_numpy().sum()))\n"
        )
        run = subprocess.run([py, "-c", probe], cwd=tmp, env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
        lib_path, total = run.stdout.split()
        assert lib_path.startswith(venv), f"loaded {lib_path}, not the packaged library"
        assert float(total) == 42.0
