#!/usr/bin/env python3
"""Fails when a source file includes a header of a module it must not depend on.

Dependencies point one way (docs/ARCHITECTURE.md): each module below may include headers of the
modules listed for it, and of itself. A file's module is the first directory of its path under
src/ or src/include/; an include's module is the first directory of the included path. Includes
of third-party headers (duckdb, httplib, ...) are checked only where the rules say so: DuckDB's
headers stay inside engine/.

Prints one line per violation and a summary line; exit status 1 when there is any.
"""

import pathlib
import re
import sys

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
    "main.cpp": {"server", "cli"},
}
MODULES = set(ALLOWED) - {"main.cpp"}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]')


def module_of(path: pathlib.Path, src: pathlib.Path) -> str:
    relative = path.relative_to(src).parts
    if relative[0] == "include":
        relative = relative[1:]
    return relative[0]  # a directory, or a file directly under src/


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
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
            if (first == "duckdb" or included == "duckdb.hpp") and module != "engine":
                violations.append(f"{path.relative_to(root)}:{number}: {module} includes DuckDB's {included}")
            elif first in MODULES and "/" in included and first != module and first not in ALLOWED[module]:
                violations.append(f"{path.relative_to(root)}:{number}: {module} must not include {included}")
    for violation in violations:
        print(violation)
    print(f"layering: {checked} files checked, {len(violations)} violations")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
