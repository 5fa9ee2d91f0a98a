"""The type stubs (_ivrmedia.pyi) describe the extension that was built: the same public
functions and classes, each class with the same public methods and properties, and the same
keyword names in every function and method the stubs spell out."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

import ivrmedia
from ivrmedia import _ivrmedia

STUB = Path(_ivrmedia.__file__).parent / "_ivrmedia.pyi"


def stub_tree() -> ast.Module:
    return ast.parse(STUB.read_text())


def public(name: str) -> bool:
    return not name.startswith("_")


def stub_members(cls: ast.ClassDef) -> set[str]:
    names = set()
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if public(n)}


def runtime_members(cls: type) -> set[str]:
    return {n for n in vars(cls) if public(n)} - {"pybind11_object"}


def stub_classes() -> dict[str, ast.ClassDef]:
    return {n.name: n for n in stub_tree().body if isinstance(n, ast.ClassDef)}


def stub_functions() -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in stub_tree().body if isinstance(n, ast.FunctionDef)}


def test_module_names_match() -> None:
    runtime = {n for n in dir(_ivrmedia) if public(n)}
    stubbed = {n for n in stub_classes()} | {n for n in stub_functions()}
    stubbed = {n for n in stubbed if public(n)}
    assert runtime - stubbed == set(), "in the extension, not in the stubs"
    assert stubbed - runtime == set(), "in the stubs, not in the extension"


@pytest.mark.parametrize("name", sorted(n for n in stub_classes() if public(n)))
def test_class_members_match(name: str) -> None:
    cls = getattr(_ivrmedia, name)
    if issubclass(cls, BaseException):
        assert set(stub_members(stub_classes()[name])) == {"reason"}
        return
    want = stub_members(stub_classes()[name])
    have = runtime_members(cls)
    assert have - want == set(), f"{name}: in the extension, not in the stubs"
    assert want - have == set(), f"{name}: in the stubs, not in the extension"


def pybind_keywords(doc: str, name: str) -> list[set[str]]:
    """Keyword names of each overload in a pybind11 signature docstring."""
    out = []
    for m in re.finditer(rf"{re.escape(name)}\((.*?)\) ->", doc):
        args = re.sub(r"\[.*?\]", "", m.group(1))  # drop subscripts holding commas
        names = {a.split(":")[0].strip().lstrip("*") for a in args.split(",") if a.strip()}
        out.append({n for n in names if n not in ("self", "") and n != "*"})
    return out


def stub_keywords(fn: ast.FunctionDef) -> set[str]:
    a = fn.args
    names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    return {n for n in names if n != "self"}


def test_keyword_names_match() -> None:
    # Only for the classes and functions this check can read (pybind11 signatures in the
    # docstrings; **kwargs and overloads by their sets of names).
    checked = 0
    for cls_name, cls_node in stub_classes().items():
        cls = getattr(_ivrmedia, cls_name, None)
        if cls is None or issubclass(cls, BaseException):
            continue
        overloads: dict[str, list[set[str]]] = {}
        for node in cls_node.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            if not (public(node.name) or node.name == "__init__"):
                continue
            if any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list):
                continue
            overloads.setdefault(node.name, []).append(stub_keywords(node))
        for meth, stubbed in overloads.items():
            doc = getattr(cls, meth).__doc__ or ""
            runtime = pybind_keywords(doc, meth)
            if not runtime:
                continue
            if meth == "__init__" and cls_name == "NetworkSimulator":
                runtime = [r - {"kwargs"} for r in runtime]
                stubbed = [s - {"overrides"} for s in stubbed]
            for s in stubbed:
                assert s in runtime, f"{cls_name}.{meth}{sorted(s)} not in {runtime}"
            checked += 1
    for fn_name, node in stub_functions().items():
        fn = getattr(_ivrmedia, fn_name)
        runtime = pybind_keywords(fn.__doc__ or "", fn_name)
        assert stub_keywords(node) in runtime, fn_name
        checked += 1
    assert checked > 60


def test_pure_python_modules_export_what_they_say() -> None:
    for module in (ivrmedia, ivrmedia.rtp, ivrmedia.jitter, ivrmedia.netsim, ivrmedia.codec,
                   ivrmedia.mix):
        for name in module.__all__:
            obj = getattr(module, name)
            assert obj is not None
            if inspect.isfunction(obj):
                assert obj.__doc__ and obj.__doc__.strip(), f"{module.__name__}.{name}"
