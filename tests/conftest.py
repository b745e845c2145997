import json

import pytest

from scoring.cli import main


class CliResult:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(capsys):
    """Run the real `score` command in-process: cli("run", ind, data, "--format", "json")."""

    def run(*args):
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def excel_running(monkeypatch):
    """As on a PC where Excel is open: the owner of a lock file beside a workbook may be alive."""
    import scoring.write.safety as safety

    monkeypatch.setattr(safety, "running_spreadsheet_programs", lambda: {"excel.exe"})
