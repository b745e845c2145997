"""评分引擎 score: score units against an indicator system kept in Excel.

    from scoring import read_indicator_system, read_data, score
    system = read_indicator_system("indicator_sets/dept_overall.xlsx")
    results = score(system, read_data("workbooks/lingling_2019.xlsx"))
    results.units[0].total, results.to_frame()

Pipeline: read/ → model → formula/ (compile) → engine/ (evaluate, aggregate) → write/; the commands
(commands/) are library functions that cli.py only parses arguments for.
"""

from importlib import import_module

# Loaded on first use (PEP 562), so that `score run` does not pay for the modules of other commands.
_WHERE = {
    "run": ".commands.run", "run_forms": ".commands.forms", "check": ".commands.check", "explain": ".commands.explain", "score": ".engine",
    "FormulaError": ".errors", "InputError": ".errors", "ScoreError": ".errors", "WriteRefused": ".errors",
    "compile_formula": ".formula", "Results": ".model", "Book": ".read", "read_data": ".read",
    "read_indicator_system": ".read", "write_results": ".write.excel",
}
__all__ = list(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'scoring' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
