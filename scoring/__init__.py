"""评分引擎 score: score units against an indicator system kept in Excel.

    from scoring import read_indicator_system, read_data, score
    system = read_indicator_system("indicator_sets/dept_overall.xlsx")
    results = score(system, read_data("workbooks/lingling_2019.xlsx"))
    results.units[0].total, results.to_frame()

Pipeline: read/ → model → formula/ (compile) → engine/ (evaluate, aggregate) → write/; the commands
(commands/) are library functions that cli.py only parses arguments for.
"""

from .commands import check, explain, run
from .engine import score
from .errors import FormulaError, InputError, ScoreError, WriteRefused
from .formula import compile_formula
from .model import Results
from .read import Book, read_data, read_indicator_system
from .write.excel import write_results

__all__ = [
    "read_indicator_system", "read_data", "score", "write_results", "compile_formula", "run", "check", "explain",
    "Book", "Results", "ScoreError", "InputError", "WriteRefused", "FormulaError",
]
