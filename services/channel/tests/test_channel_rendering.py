"""Typed variables and sandboxed rendering."""

from __future__ import annotations

import pytest

from lingxi.channel.v1 import template_service_pb2 as T
from lingxi.common.v1 import enums_pb2
from lingxi_channel.rendering import render, sms_segments, validate_variables

C = enums_pb2
VARS = [
    T.TemplateVariable(name="ratio", type=T.VARIABLE_TYPE_PERCENT, required=True),
    T.TemplateVariable(name="amount", type=T.VARIABLE_TYPE_MONEY, required=True),
    T.TemplateVariable(name="due", type=T.VARIABLE_TYPE_DATE, required=False),
    T.TemplateVariable(name="name", type=T.VARIABLE_TYPE_STRING, required=True, pii=True, max_length=4),
]


def test_values_are_typed_and_every_problem_is_reported() -> None:
    values, problems = validate_variables(VARS, {"ratio": "1.42", "amount": "1234567.5", "name": "张三"})
    assert problems == [] and values["ratio"] == "142%" and values["amount"] == "1,234,567.50"
    _, problems = validate_variables(
        VARS, {"ratio": "x", "amount": "", "due": "2026-13-01", "name": "欧阳修远方", "extra": "1"}
    )
    assert sorted((p.name, p.code) for p in problems) == [
        ("amount", "missing"),
        ("due", "wrong_type"),
        ("extra", "unknown"),
        ("name", "too_long"),
        ("ratio", "wrong_type"),
    ]


def test_sms_gets_signature_and_marketing_opt_out_and_preview_masks_pii() -> None:
    content = T.TemplateContent(body="{{ name }}您好，维持担保比例{{ ratio }}", provider_template_id="1")
    values, _ = validate_variables(VARS, {"ratio": "1.42", "amount": "1", "name": "张三"})
    marketing = render(
        C.CHANNEL_SMS, C.MESSAGE_CLASS_MARKETING, content, VARS, values, account_signature="【灵犀证券】"
    )
    assert marketing.body == "【灵犀证券】张三您好，维持担保比例142%拒收请回复R"
    assert "张三" not in marketing.preview
    notice = render(
        C.CHANNEL_SMS,
        C.MESSAGE_CLASS_MANDATORY_NOTICE,
        content,
        VARS,
        values,
        account_signature="【灵犀证券】",
    )
    assert notice.body.endswith("142%")
    assert sms_segments("字" * 70) == 1 and sms_segments("字" * 71) == 2


def test_the_sandbox_refuses_python_internals() -> None:
    content = T.TemplateContent(body="{{ name.__class__.__mro__ }}")
    with pytest.raises(ValueError, match="cannot be rendered"):
        render(C.CHANNEL_APP_PUSH, C.MESSAGE_CLASS_SERVICE, content, VARS, {"name": "x"})


@pytest.mark.parametrize(
    "source",
    [
        "您好{{ name }}，您的{{fund}}分红{{ ratio }}已到账\n",
        "{{ a }}{{b}}",
        "无变量的文本",
        "总额 {{ amount }} 元。\n\n",
        "{{ name | upper }} uses a filter",
        "{% if name %}有{{ name }}{% endif %}",
        "{# note #}{{ name }}",
        "{{ '{{' }} literal braces",
    ],
)
def test_plain_substitution_renders_exactly_as_the_sandbox(source: str) -> None:
    from lingxi_channel.rendering import _compile, render_text

    values = {"name": "张三", "fund": "沪深300ETF", "ratio": "1.5%", "a": "x", "b": "y", "amount": "1,000.00"}
    assert render_text(source, values) == _compile(source).render(**values)


def test_a_missing_variable_is_an_error_on_either_path() -> None:
    from lingxi_channel.rendering import render_text

    for source in ("您好{{ missing }}", "{{ missing | upper }}"):
        with pytest.raises(ValueError, match="missing"):
            render_text(source, {"name": "x"})
