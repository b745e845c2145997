"""The commands as library functions; ``cli`` only parses arguments and renders what they return."""

from importlib import import_module

# Loaded on first use (PEP 562): each command pays only for its own modules at start-up.
_WHERE = {
    "run": ".run", "RunOutcome": ".run", "check": ".check", "explain": ".explain", "write_template": ".template",
    "build_template": ".template", "list_sets": ".sets", "describe_sets": ".sets",
}
__all__ = list(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'scoring.commands' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
