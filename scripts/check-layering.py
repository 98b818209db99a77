#!/usr/bin/env python3
"""Fails when a source file includes a header of a module it must not depend on.

Dependencies point one way (docs/ARCHITECTURE.md): each module below may include headers of the
modules listed for it, and of itself. A file's module is the first directory of its path under
src/ or src/include/; an include's module is the first directory of the included path. Includes
of third-party headers (duckdb, httplib, ...) are checked only where the rules say so: DuckDB's
headers stay inside engine/.

Prints one line per violation and a summary line; exit status 1 when there is any. With
--self-test it first checks itself on a small tree with known violations.
"""

import pathlib
import re
import sys
import tempfile

ALLOWED = {
    "common": set(),
    "meta": {"common"},
    "storage": {"common"},
    "catalog": {"common", "meta"},
    "engine": {"common", "storage"},
    "lineage": {"common", "meta"},
    "auth": {"common", "meta"},
    "files": {"common", "meta", "storage", "engine"},
    "tables": {"common", "meta", "storage", "catalog", "engine", "lineage", "files"},
    # api speaks to the services; it may use the value types of catalog and storage (table
    # descriptions, object readers), never the metadata database or the engine.
    "api": {"common", "storage", "catalog", "tables", "files", "lineage", "auth"},
    "server": {"common", "meta", "storage", "catalog", "engine", "lineage", "auth", "files", "tables", "api"},
    "cli": {"common"},
    "main.cpp": {"server", "cli", "common"},
}
# Where a module may use only some headers of a module it depends on: files reads objects through
# the engine's FileReader interface, never its queries.
ONLY = {("files", "engine"): {"engine/file_reader.hpp"}}
MODULES = set(ALLOWED) - {"main.cpp"}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]')


def module_of(path: pathlib.Path, src: pathlib.Path) -> str:
    relative = path.relative_to(src).parts
    if relative[0] == "include":
        relative = relative[1:]
    return relative[0]  # a directory, or a file directly under src/


def check(root: pathlib.Path) -> tuple[int, list[str]]:
    """The number of source files under root/src checked, and one line per violation."""
    src = root / "src"
    violations = []
    checked = 0
    for path in sorted(src.rglob("*")):
        if path.suffix not in {".cpp", ".hpp", ".in"} or not path.is_file():
            continue
        module = module_of(path, src)
        if module not in ALLOWED:
            violations.append(f"{path.relative_to(root)}: module '{module}' has no dependency rule")
            continue
        checked += 1
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            included = match.group(1)
            first = included.split("/")[0]
            where = f"{path.relative_to(root)}:{number}"
            if (first == "duckdb" or included == "duckdb.hpp") and module != "engine":
                violations.append(f"{where}: {module} includes DuckDB's {included}")
            elif first in MODULES and "/" in included and first != module and first not in ALLOWED[module]:
                violations.append(f"{where}: {module} must not include {included}")
            elif (module, first) in ONLY and included not in ONLY[(module, first)]:
                allowed = ", ".join(sorted(ONLY[(module, first)]))
                violations.append(f"{where}: {module} may include only {allowed} of {first}, not {included}")
    return checked, violations


def self_test() -> None:
    """Fails unless check() finds exactly the violations planted in a small tree."""
    files = {
        "src/include/api/ok.hpp": '#include "tables/table_service.hpp"\n#include <string>\n',
        "src/api/bad.cpp": '#include "engine/engine.hpp"\n#include "meta/meta_store.hpp"\n',
        "src/files/narrow.cpp": '#include "engine/file_reader.hpp"\n',
        "src/files/wide.cpp": '#include "engine/engine.hpp"\n',
        "src/tables/duck.cpp": '  #  include "duckdb.hpp"\n',
        "src/engine/duck.cpp": '#include "duckdb/parser/parser.hpp"\n',
        "src/widgets/x.cpp": "",
    }
    with tempfile.TemporaryDirectory() as directory:
        root = pathlib.Path(directory)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        checked, violations = check(root)
    found = sorted(line.split(":")[0] for line in violations)
    expected = ["src/api/bad.cpp", "src/api/bad.cpp", "src/files/wide.cpp", "src/tables/duck.cpp", "src/widgets/x.cpp"]
    if checked != 6 or found != expected:
        raise SystemExit(f"layering self-test failed: checked {checked}, violations {violations}")


def main() -> int:
    args = sys.argv[1:]
    if "--self-test" in args:
        self_test()
        args.remove("--self-test")
    root = pathlib.Path(args[0] if args else ".").resolve()
    checked, violations = check(root)
    for violation in violations:
        print(violation)
    print(f"layering: {checked} files checked, {len(violations)} violations")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
