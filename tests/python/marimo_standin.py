"""A stand-in for the ``marimo`` package, to run the notebooks' cells in the test suite.

marimo cannot be installed where this suite runs (there is no package index), so the notebook
tests put this module in ``sys.modules["marimo"]`` and run each cell themselves
(``notebook_check.run_notebook``). It has only what ``notebooks/*.py`` use, with marimo's own
signatures, so a misspelled or unknown keyword fails here as it would under marimo:

- ``App(...)`` and ``@app.cell``: the app keeps its cell functions in file order.
- UI elements hold their initial value in ``.value``, checked as marimo checks it (a dropdown's
  value must be one of its options, a number's within its range); a ``run_button`` counts as
  clicked, so the cells behind one run too.
- ``md`` returns its text, ``vstack``/``hstack`` their items as a list.
- ``stop(predicate, output)`` raises :class:`Stopped` when the predicate holds; the runner then
  leaves out the cells that depend on the stopped one, as marimo does.
- ``cli_args()`` answers what the test set with :func:`set_cli_args`, as marimo answers the
  arguments after ``--`` of ``marimo edit notebook.py -- --table sales.orders``.

A notebook that uses more of marimo needs it added here.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

_cli_args: dict[str, Any] = {}


def set_cli_args(args: Mapping[str, Any]) -> None:
    """What ``cli_args()`` answers from now on (the stand-in's only addition to marimo's API)."""
    _cli_args.clear()
    _cli_args.update(args)


class App:
    def __init__(self, **config: Any):
        self.config = config
        self.cells: list[Callable] = []

    def cell(self, function: Callable | None = None, **options: Any) -> Any:
        """``@app.cell`` and ``@app.cell(hide_code=True)``."""
        def register(cell: Callable) -> Callable:
            self.cells.append(cell)
            return cell
        return register(function) if function is not None else register

    def run(self) -> None:
        raise NotImplementedError("the stand-in does not run apps: notebook_check.run_notebook runs the cells")


class Stopped(Exception):
    """``mo.stop`` stopped a cell; ``output`` is what marimo would show in its place."""

    def __init__(self, output: Any):
        super().__init__(output)
        self.output = output


def stop(predicate: object, output: object | None = None) -> None:
    if predicate:
        raise Stopped(output)


def md(text: str) -> str:
    return text


def vstack(items: Sequence[object], *, align: str | None = None, justify: str = "start", gap: float = 0.5,
           heights: object = None) -> list:
    return list(items)


def hstack(items: Sequence[object], *, justify: str = "space-between", align: str | None = None, wrap: bool = False,
           gap: float = 0.5, widths: object = None) -> list:
    return list(items)


def cli_args() -> dict[str, Any]:
    return dict(_cli_args)


class _Element:
    """A UI element: ``value`` is what the user has chosen (here, always the initial value)."""

    def __init__(self, kind: str, value: Any, label: str):
        self.kind, self.value, self.label = kind, value, label

    def __repr__(self) -> str:
        return f"<mo.ui.{self.kind} {self.label!r} value={self.value!r}>"


def _in_range(kind: str, start: float, stop: float, value: float | None) -> float:
    value = start if value is None else value
    if not start <= value <= stop:
        raise ValueError(f"mo.ui.{kind}: value {value!r} is outside [{start}, {stop}]")
    return value


def _choice(options: Sequence[str] | Mapping[str, Any], label: str) -> Any:
    # marimo's options are labels, or a mapping of labels to values; value names a label.
    mapping = dict(options) if isinstance(options, Mapping) else {str(o): o for o in options}
    if label not in mapping:
        raise ValueError(f"value {label!r} is not one of the options {list(mapping)}")
    return mapping[label]


class ui:
    """``mo.ui``: the elements the notebooks use."""

    @staticmethod
    def text(value: str = "", placeholder: str = "", kind: str = "text", max_length: int | None = None,
             disabled: bool = False, debounce: bool = True, *, label: str = "", on_change: Callable | None = None,
             full_width: bool = False) -> _Element:
        return _Element("text", value, label)

    @staticmethod
    def text_area(value: str = "", placeholder: str = "", max_length: int | None = None, disabled: bool = False,
                  debounce: bool = True, *, label: str = "", on_change: Callable | None = None,
                  full_width: bool = False) -> _Element:
        return _Element("text_area", value, label)

    @staticmethod
    def number(start: float, stop: float, step: float | None = None, value: float | None = None,
               debounce: bool = False, *, label: str = "", on_change: Callable | None = None,
               full_width: bool = False) -> _Element:
        return _Element("number", _in_range("number", start, stop, value), label)

    @staticmethod
    def slider(start: float | None = None, stop: float | None = None, step: float | None = None,
               value: float | None = None, debounce: bool = False, *, label: str = "",
               on_change: Callable | None = None, full_width: bool = False, show_value: bool = False) -> _Element:
        return _Element("slider", _in_range("slider", start, stop, value), label)

    @staticmethod
    def dropdown(options: Sequence[str] | Mapping[str, Any], value: str | None = None,
                 allow_select_none: bool | None = None, *, label: str = "", on_change: Callable | None = None,
                 full_width: bool = False) -> _Element:
        if value is None and allow_select_none is False:
            raise ValueError("mo.ui.dropdown: value None needs allow_select_none")
        return _Element("dropdown", None if value is None else _choice(options, value), label)

    @staticmethod
    def multiselect(options: Sequence[str] | Mapping[str, Any], value: Sequence[str] | None = None, *,
                    label: str = "", on_change: Callable | None = None, full_width: bool = False,
                    max_selections: int | None = None) -> _Element:
        return _Element("multiselect", [_choice(options, v) for v in value or []], label)

    @staticmethod
    def table(data: Any, pagination: bool | None = None, selection: str | None = "multi", page_size: int = 10,
              *, label: str = "", on_change: Callable | None = None) -> _Element:
        # Its value is the selected rows: none yet.
        return _Element("table", data.iloc[:0] if hasattr(data, "iloc") else [], label)

    @staticmethod
    def run_button(kind: str = "neutral", disabled: bool = False, tooltip: str | None = None, *,
                   label: str = "click to run", on_change: Callable | None = None,
                   full_width: bool = False) -> _Element:
        return _Element("run_button", True, label)
