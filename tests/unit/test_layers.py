"""No module of recorder imports another in a loop, and no file grows past what a newcomer
can read; the layers themselves are import-linter's contracts (pyproject.toml), which
`make test` runs as `lint-imports`."""

from __future__ import annotations

from pathlib import Path

import grimp

import recorder

MAX_LINES = 450
"""A file longer than this is doing a second thing (CONTRIBUTING.md)."""


def import_cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """The loops among `modules`: each strongly connected group of more than one module,
    and each module that imports itself. Tarjan's algorithm, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []

    def imported(module: str) -> list[str]:
        return sorted(graph.find_modules_directly_imported_by(module) & modules)

    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(imported(root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(imported(child))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1 or module in imported(module):
                    found.append(sorted(group))
    return found


def recorder_graph() -> tuple[grimp.ImportGraph, set[str]]:
    graph = grimp.build_graph("recorder", cache_dir=None)
    return graph, {m for m in graph.modules if m.split(".")[0] == "recorder"}


def test_no_module_imports_another_in_a_loop() -> None:
    graph, modules = recorder_graph()
    assert len(modules) > 50  # the graph was built from the whole package
    assert import_cycles(graph, modules) == []


def test_the_cycle_finder_finds_a_loop() -> None:
    graph, modules = recorder_graph()
    graph.add_import(
        importer="recorder.domain.vocabulary",
        imported="recorder.tui.app",
        line_number=1,
        line_contents="import recorder.tui.app",
    )
    cycles = import_cycles(graph, modules)
    assert cycles and "recorder.domain.vocabulary" in cycles[0]
    assert "recorder.tui.app" in cycles[0]


def test_no_file_in_the_package_is_too_long_to_read() -> None:
    package = Path(recorder.__file__).parent
    lengths = {
        str(path.relative_to(package)): len(path.read_text("utf-8").splitlines())
        for path in package.rglob("*.py")
    }
    assert len(lengths) > 50
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}
