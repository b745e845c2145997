"""The commands as library functions; ``cli`` only parses arguments and renders what they return."""

from .check import check
from .explain import explain
from .run import RunOutcome, run
from .sets import describe_sets, list_sets
from .template import build_template, write_template

__all__ = ["run", "RunOutcome", "check", "explain", "write_template", "build_template", "list_sets", "describe_sets"]
