"""The shipped indicator systems (indicator_sets/*.xlsx) go into the wheel as scoring/indicator_sets/, so an
installed `score` (the Windows bundle, a plain `pip install`) lists and uses them like the source tree does.
Everything else is configured in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SETS = Path(__file__).resolve().parent / "indicator_sets"


class BuildWithSets(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads indicator_sets/ in the source tree
            return
        target = Path(self.build_lib) / "scoring" / "indicator_sets"
        target.mkdir(parents=True, exist_ok=True)
        for book in SETS.glob("*.xlsx"):
            if not book.name.startswith("~$"):
                shutil.copy2(book, target / book.name)


setup(cmdclass={"build_py": BuildWithSets})
