"""Reading workbooks: ``Book`` (each file opened once), the indicator reader and the data readers."""

from .data import DataSet, read_data
from .indicators import load_indicator_system, read_indicator_system
from .selfeval import form_dataset
from .workbook import Book

__all__ = ["Book", "DataSet", "read_data", "read_indicator_system", "load_indicator_system", "form_dataset"]
