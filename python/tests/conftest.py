"""Test session setup: a unique HORUS_NAMESPACE (so pools never collide with other runs)
and the package directory on sys.path. Set before horus is imported anywhere."""
import os
import sys

_base = os.environ.get("HORUS_NAMESPACE", "py")
NAMESPACE = f"{_base}-pytest{os.getpid()}"
os.environ["HORUS_NAMESPACE"] = NAMESPACE

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if PYTHON_DIR not in sys.path:
    sys.path.insert(0, PYTHON_DIR)
