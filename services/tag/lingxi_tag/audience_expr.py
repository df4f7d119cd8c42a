"""The audience expression language: boolean combinations of tag conditions.

    asset_tier in ["w50_100", "w100_plus"] && live_stream_fan && !has_advisory_service
    (risk_level >= "C3" || professional_investor) AND NOT dormant

A bare tag code means "has the tag (any value)"; ``==``/``!=``/``<``/``<=``/``>``/``>=`` compare the
value (numerically when both sides are numbers, else as text); ``in [..]`` tests membership. The
parser is a small hand-written recursive descent — the language is deliberately tiny, so every
construct maps to one roaring-bitmap operation and nothing can run arbitrary code. Errors carry
the 1-based line/column and 0-based offset of the offending token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<op>&&|\|\||==|!=|>=|<=|>|<|!|\(|\)|\[|\]|,)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"AND": "&&", "OR": "||", "NOT": "!", "and": "&&", "or": "||", "not": "!"}
COMPARATORS = ("==", "!=", ">=", "<=", ">", "<")


class ExpressionSyntaxError(ValueError):
    def __init__(self, source: str, offset: int, message: str) -> None:
        self.offset = offset
        self.line = source.count("\n", 0, offset) + 1
        self.column = offset - (source.rfind("\n", 0, offset) + 1) + 1
        self.reason = message
        super().__init__(f"line {self.line}, column {self.column}: {message}")


@dataclass(frozen=True)
class Has:
    tag: str
    offset: int


@dataclass(frozen=True)
class Compare:
    tag: str
    op: str
    value: str
    offset: int


@dataclass(frozen=True)
class InSet:
    tag: str
    values: tuple[str, ...]
    offset: int


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Union[Has, Compare, InSet, Not, And, Or]  # noqa: UP007 — recursive alias needs Union


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise ExpressionSyntaxError(source, position, f"unexpected character {source[position]!r}")
        kind = match.lastgroup or ""
        text = match.group()
        if kind == "word" and text in _KEYWORDS:
            kind, text = "op", _KEYWORDS[text]
        elif kind == "word" and text == "in":
            kind = "in"
        if kind != "ws":
            tokens.append(Token(kind, text, position))
        position = match.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.index = 0

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, text: str) -> Token:
        token = self.take()
        if token.text != text or token.kind not in ("op",):
            found = token.text or "end of expression"
            raise ExpressionSyntaxError(self.source, token.offset, f"expected {text!r}, found {found!r}")
        return token

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise ExpressionSyntaxError(self.source, 0, "the expression is empty")
        node = self.parse_or()
        token = self.peek()
        if token.kind != "end":
            raise ExpressionSyntaxError(self.source, token.offset, f"unexpected {token.text!r}")
        return node

    def parse_or(self) -> Node:
        operands = [self.parse_and()]
        while self.peek().kind == "op" and self.peek().text == "||":
            self.take()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self) -> Node:
        operands = [self.parse_not()]
        while self.peek().kind == "op" and self.peek().text == "&&":
            self.take()
            operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_not(self) -> Node:
        if self.peek().kind == "op" and self.peek().text == "!":
            self.take()
            return Not(self.parse_not())
        return self.parse_primary()

    def literal(self) -> str:
        token = self.take()
        if token.kind == "string":
            return (
                bytes(token.text[1:-1], "utf-8").decode("unicode_escape")
                if "\\" in token.text
                else token.text[1:-1]
            )
        if token.kind == "number":
            return token.text
        if token.kind == "word" and token.text in ("true", "false"):
            return token.text
        found = token.text or "end of expression"
        raise ExpressionSyntaxError(self.source, token.offset, f"expected a value, found {found!r}")

    def parse_primary(self) -> Node:
        token = self.take()
        if token.kind == "op" and token.text == "(":
            node = self.parse_or()
            self.expect(")")
            return node
        if token.kind != "word":
            found = token.text or "end of expression"
            raise ExpressionSyntaxError(self.source, token.offset, f"expected a tag code, found {found!r}")
        following = self.peek()
        if following.kind == "op" and following.text in COMPARATORS:
            self.take()
            return Compare(token.text, following.text, self.literal(), token.offset)
        if following.kind == "in":
            self.take()
            self.expect("[")
            values = [self.literal()]
            while self.peek().kind == "op" and self.peek().text == ",":
                self.take()
                values.append(self.literal())
            self.expect("]")
            return InSet(token.text, tuple(values), token.offset)
        return Has(token.text, token.offset)


def parse(source: str) -> Node:
    """Parse an audience expression; raises ExpressionSyntaxError with the position."""
    if len(source) > 20_000:
        raise ExpressionSyntaxError(source, 0, "the expression is longer than 20000 characters")
    return _Parser(source).parse()


def tag_references(node: Node) -> list[tuple[str, int]]:
    """(tag code, offset) of every tag the expression names, in order."""
    if isinstance(node, Has | Compare | InSet):
        return [(node.tag, node.offset)]
    if isinstance(node, Not):
        return tag_references(node.operand)
    return [reference for operand in node.operands for reference in tag_references(operand)]
