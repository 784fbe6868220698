"""What each revision file does, read from its `upgrade()` without running it.

A revision that loses data (drops a table or column, narrows a column's type) must say so on
purpose, with a module-level reason beside `revision`:

    intended_data_loss = "items.sku moved to prices.sku in the previous revision"
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from app.core.config import PROJECT_ROOT

VERSIONS = PROJECT_ROOT / "alembic" / "versions"
ACKNOWLEDGEMENT = "intended_data_loss"
# Operations whose first argument is the object's own name, the table coming second.
NAMED_FIRST = {
    "create_index",
    "drop_index",
    "create_unique_constraint",
    "create_foreign_key",
    "create_check_constraint",
    "create_primary_key",
    "drop_constraint",
}
# `op.*` calls that are not operations: `op.f("pk_items")` only marks a name as final.
HELPERS = {"batch_alter_table", "f", "get_bind", "get_context", "inline_literal"}
STRING_TYPES = {
    *("String", "Unicode", "AutoString", "Text", "UnicodeText"),
    *("VARCHAR", "NVARCHAR", "CHAR", "NCHAR", "TEXT"),
}


@dataclass(frozen=True)
class Operation:
    """One `op.*` (or `batch_op.*`) call in `upgrade()`."""

    name: str
    target: str
    data_loss: str | None = None
    # Not data loss, but an upgrade that fails on a table that already has rows.
    fails_on_rows: str | None = None

    def describe(self) -> str:
        line = f"{self.name} {self.target}"
        if self.data_loss:
            return f"{line}  <- DESTRUCTIVE: {self.data_loss}"
        if self.fails_on_rows:
            return f"{line}  <- WARNING: {self.fails_on_rows}"
        return line


@dataclass(frozen=True)
class Revision:
    path: Path
    operations: list[Operation]
    acknowledged: str | None

    @property
    def unacknowledged_data_loss(self) -> list[Operation]:
        if self.acknowledged:
            return []
        return [operation for operation in self.operations if operation.data_loss]


def revision_files() -> list[Path]:
    return sorted(VERSIONS.glob("*.py"))


def read_revision(path: Path) -> Revision:
    module = ast.parse(path.read_text(), filename=str(path))
    functions = [node for node in module.body if isinstance(node, ast.FunctionDef)]
    upgrade = next((function for function in functions if function.name == "upgrade"), None)
    operations = _operations(upgrade.body, batch_table=None) if upgrade else []
    return Revision(path=path, operations=operations, acknowledged=_acknowledgement(module))


def _acknowledgement(module: ast.Module) -> str | None:
    for node in module.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        value = getattr(node, "value", None)
        for target in targets:
            is_marker = isinstance(target, ast.Name) and target.id == ACKNOWLEDGEMENT
            if is_marker and isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value.strip() or None
    return None


def _operations(statements: list[ast.stmt], batch_table: str | None) -> list[Operation]:
    found: list[Operation] = []
    for statement in statements:
        if isinstance(statement, ast.With):
            table = _batch_table(statement)
            found += _operations(statement.body, table or batch_table)
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                operation = _operation(node, batch_table)
                if operation:
                    found.append(operation)
    return found


def _batch_table(statement: ast.With) -> str | None:
    for item in statement.items:
        call = item.context_expr
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "batch_alter_table"
            and call.args
        ):
            return _text(call.args[0])
    return None


def _operation(call: ast.Call, batch_table: str | None) -> Operation | None:
    assert isinstance(call.func, ast.Attribute)
    owner = call.func.value
    if not (isinstance(owner, ast.Name) and owner.id in ("op", "batch_op")):
        return None
    name = call.func.attr
    if name in HELPERS:
        return None
    arguments = list(call.args)
    if name in NAMED_FIRST and arguments:
        own_name = _text(arguments.pop(0)) or "?"
        named_table = _text(arguments[0]) if arguments and owner.id == "op" else batch_table
        return Operation(name, f"{named_table or '?'}.{own_name}")
    # op.add_column("items", ...) names the table first; batch_op.* already knows it.
    if owner.id == "batch_op":
        table = batch_table or "?"
    else:
        table = (_text(arguments.pop(0)) if arguments else None) or "?"
    if name in ("create_table", "drop_table"):
        loss = "drops the table and every row in it" if name == "drop_table" else None
        return Operation(name, table, loss)
    column = _column_name(arguments[0]) if arguments else None
    target = f"{table}.{column}" if column else str(table)
    if name == "drop_column":
        return Operation(name, target, "drops the column and its data")
    if name == "add_column" and arguments and _not_null_without_server_default(arguments[0]):
        warning = "NOT NULL with no server_default: fails on a table that already has rows"
        return Operation(name, target, fails_on_rows=warning)
    if name == "alter_column":
        return Operation(name, target, _narrowing(call))
    return Operation(name, target)


def _not_null_without_server_default(node: ast.expr) -> bool:
    """`sa.Column(..., nullable=False)` that gives existing rows no value to take."""
    if not isinstance(node, ast.Call):
        return False
    keywords = {keyword.arg: keyword.value for keyword in node.keywords}
    nullable = keywords.get("nullable")
    not_null = isinstance(nullable, ast.Constant) and nullable.value is False
    return not_null and "server_default" not in keywords


def _column_name(node: ast.expr) -> str | None:
    """`"sku"`, or the name inside `sa.Column("sku", ...)`."""
    if isinstance(node, ast.Call) and node.args:
        return _text(node.args[0])
    return _text(node)


def _narrowing(call: ast.Call) -> str | None:
    """A new type loses data unless it is a string column made longer (or unlimited)."""
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    if "type_" not in keywords:
        return None
    new, old = keywords["type_"], keywords.get("existing_type")
    if old is not None and _is_string(new) and _is_string(old):
        new_length, old_length = _length(new), _length(old)
        if new_length is None or (old_length is not None and new_length >= old_length):
            return None
        before = "unlimited" if old_length is None else str(old_length)
        return f"shortens the column from {before} to {new_length} characters"
    return "changes the column's type, which can lose or reject existing values"


def _is_string(node: ast.expr) -> bool:
    """Reflection reads back VARCHAR where the model said String or AutoString: one kind."""
    return _type_name(node).rpartition(".")[2] in STRING_TYPES


def _type_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    return ast.unparse(target)


def _length(node: ast.expr) -> int | None:
    if not isinstance(node, ast.Call):
        return None
    values = [keyword.value for keyword in node.keywords if keyword.arg == "length"]
    values += node.args[:1]
    for value in values:
        if isinstance(value, ast.Constant) and isinstance(value.value, int):
            return value.value
    return None


def _text(node: ast.expr) -> str | None:
    """A string literal, or the name inside `op.f("name")`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
        return _text(node.args[0]) if node.func.attr == "f" else None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None
