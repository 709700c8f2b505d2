"""SOAR: registry cross-match operations built on a fast probabilistic person linker."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("soar")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
