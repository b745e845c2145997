"""评分引擎 score: score units against an indicator system kept in Excel.

    from scoring import read_indicator_system, read_data, score
    system = read_indicator_system("indicator_sets/dept_overall.xlsx")
    results = score(system, read_data("workbooks/lingling_2019.xlsx"))
    results.units[0].total, results.to_frame()
"""

from .data import read_data
from .engine import score
from .formula import FormulaError, compile_formula
from .indicators import read_indicator_system
from .model import Results
from .writer import write_results

__all__ = ["read_indicator_system", "read_data", "score", "write_results", "compile_formula", "FormulaError", "Results"]
