"""amctl: account-manager grading and pay as code."""

__version__ = "0.1.0"
