"""Typed template variables and sandboxed rendering.

Template texts are written by operators, so they are rendered in Jinja2's SandboxedEnvironment
(no attribute access to Python internals, no imports) with StrictUndefined, over variables that
were validated against their declared types first: a message is refused with the variable's name
rather than sent with a blank where the margin ratio should be.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from lingxi.channel.v1 import template_service_pb2 as tpl_pb2
from lingxi.common.v1 import enums_pb2
from lingxi_common.pii import mask_text

_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
_URL = re.compile(r"^(https?://|[a-z][a-z0-9+.-]*://)\S+$")

# SMS billing: 70 characters in one segment, 67 per segment when concatenated.
SMS_SINGLE = 70
SMS_MULTI = 67


@dataclass(frozen=True, slots=True)
class VariableProblem:
    name: str
    code: str  # missing | wrong_type | too_long | unknown
    message: str


@dataclass(slots=True)
class Rendered:
    """What a provider receives, plus the proof kept in the ledger."""

    title: str = ""
    body: str = ""
    url: str = ""
    provider_template_id: str = ""
    # Ordered provider-side parameters (SMS template params, WeChat keyword values).
    params: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    extras: dict[str, str] = field(default_factory=dict)
    preview: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {
                "title": self.title,
                "body": self.body,
                "url": self.url,
                "provider_template_id": self.provider_template_id,
                "params": self.params,
                "fields": self.fields,
                "extras": self.extras,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Rendered:
        data = json.loads(text)
        return cls(**data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.to_json().encode()).hexdigest()


def _format(var: tpl_pb2.TemplateVariable, raw: str) -> str:
    """Canonical rendering of one typed value; raises ValueError when `raw` has the wrong type."""
    kind = var.type
    if kind in (tpl_pb2.VARIABLE_TYPE_STRING, tpl_pb2.VARIABLE_TYPE_UNSPECIFIED):
        return raw
    if kind == tpl_pb2.VARIABLE_TYPE_INTEGER:
        return str(int(raw, 10))
    if kind in (tpl_pb2.VARIABLE_TYPE_DECIMAL, tpl_pb2.VARIABLE_TYPE_MONEY, tpl_pb2.VARIABLE_TYPE_PERCENT):
        try:
            value = Decimal(raw)
        except InvalidOperation as error:
            raise ValueError("not a decimal") from error
        if not value.is_finite():
            raise ValueError("not a finite decimal")
        if kind == tpl_pb2.VARIABLE_TYPE_MONEY:
            return f"{value.quantize(Decimal('0.01')):,}"
        if kind == tpl_pb2.VARIABLE_TYPE_PERCENT:
            return f"{(value * 100).normalize():f}%"
        return f"{value:f}"
    if kind == tpl_pb2.VARIABLE_TYPE_DATE:
        return date.fromisoformat(raw).isoformat()
    if kind == tpl_pb2.VARIABLE_TYPE_DATETIME:
        parsed = datetime.fromisoformat(raw)
        if parsed.tzinfo is None:
            raise ValueError("timestamp needs a UTC offset")
        return parsed.strftime("%Y-%m-%d %H:%M")
    if kind == tpl_pb2.VARIABLE_TYPE_URL:
        if not _URL.match(raw):
            raise ValueError("not a URL or deep link")
        return raw
    raise ValueError("unknown variable type")


def validate_variables(
    declared: list[tpl_pb2.TemplateVariable], values: dict[str, str]
) -> tuple[dict[str, str], list[VariableProblem]]:
    """Formatted values by name, and every problem found (all of them, not just the first)."""
    problems: list[VariableProblem] = []
    formatted: dict[str, str] = {}
    names = {var.name for var in declared}
    for name in sorted(set(values) - names):
        problems.append(VariableProblem(name, "unknown", f"template declares no variable {name!r}"))
    for var in declared:
        raw = values.get(var.name)
        if raw is None or raw == "":
            if var.required:
                problems.append(VariableProblem(var.name, "missing", "required variable is missing"))
            formatted[var.name] = ""
            continue
        try:
            text = _format(var, raw)
        except (ValueError, TypeError) as error:
            type_name = tpl_pb2.VariableType.Name(var.type)
            problems.append(VariableProblem(var.name, "wrong_type", f"expected {type_name}: {error}"))
            continue
        if var.max_length and len(text) > var.max_length:
            problems.append(VariableProblem(var.name, "too_long", f"longer than {var.max_length} characters"))
            continue
        formatted[var.name] = text
    return formatted, problems


@lru_cache(maxsize=2048)
def _compile(source: str) -> Template:
    return _env.from_string(source)


_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


@lru_cache(maxsize=2048)
def _plain(source: str) -> tuple[str, ...] | None:
    """Literal text and variable names alternating, when `source` only substitutes variables.

    Most templates are text with `{{ name }}` placeholders; those need none of Jinja's machinery,
    and substituting them directly gives exactly what the sandbox would (values are already
    validated strings; a missing one is an error; one final newline is dropped, as Jinja does).
    Anything else — filters, tags, expressions, comments — goes through the sandbox.
    """
    if "{%" in source or "{#" in source:
        return None
    parts = _PLACEHOLDER.split(source)
    literals = parts[0::2]
    if any("{{" in text or "}}" in text for text in literals):
        return None
    if parts[-1].endswith("\n"):
        parts[-1] = parts[-1][:-1]
    return tuple(parts)


def render_text(source: str, values: dict[str, str]) -> str:
    if not source:
        return ""
    if "{" not in source:
        return source
    plain = _plain(source)
    if plain is not None:
        try:
            return "".join(part if index % 2 == 0 else values[part] for index, part in enumerate(plain))
        except KeyError as error:
            raise ValueError(f"template cannot be rendered: {error.args[0]!r} is undefined") from error
    try:
        return str(_compile(source).render(**values))
    except TemplateError as error:
        raise ValueError(f"template cannot be rendered: {error}") from error


def render(
    channel: int,
    message_class: int,
    content: tpl_pb2.TemplateContent,
    declared: list[tpl_pb2.TemplateVariable],
    values: dict[str, str],
    *,
    account_signature: str = "",
    default_opt_out: str = "拒收请回复R",
) -> Rendered:
    """Render a validated variable set; SMS gets its signature and, for marketing, opt-out wording."""
    out = Rendered(
        title=render_text(content.title, values),
        body=render_text(content.body, values),
        url=render_text(content.url, values),
        provider_template_id=content.provider_template_id,
        extras=dict(content.extras),
    )
    out.params = [values.get(var.name, "") for var in declared]
    for wechat_field in content.wechat_fields:
        out.fields[wechat_field.key] = render_text(wechat_field.value, values)
    if channel == enums_pb2.CHANNEL_SMS:
        signature = content.sms_signature or account_signature
        if signature and not out.body.startswith(signature):
            out.body = f"{signature}{out.body}"
        if message_class == enums_pb2.MESSAGE_CLASS_MARKETING:
            wording = content.opt_out_wording or default_opt_out
            if wording not in out.body:
                out.body = f"{out.body}{wording}"
    if any(var.pii for var in declared):
        masked = {
            var.name: (mask_value(values.get(var.name, "")) if var.pii else values.get(var.name, ""))
            for var in declared
        }
        title, body = render_text(content.title, masked), render_text(content.body, masked)
    else:  # nothing personal to hide: the preview is the rendered text itself
        title, body = out.title, render_text(content.body, values)
    out.preview = "\n".join(part for part in (title, body) if part)[:500]
    return out


def mask_value(value: str) -> str:
    """A personal variable for the preview: numbers and openids by their masks, names as 张*."""
    masked = mask_text(value)
    if masked != value:
        return masked
    return value[:1] + "*" * (len(value) - 1) if value else value


def sms_segments(text: str) -> int:
    if len(text) <= SMS_SINGLE:
        return 1
    return -(-len(text) // SMS_MULTI)
