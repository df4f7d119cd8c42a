"""Versioned templates with compliance approval.

An approved version is immutable (edits create a new version) and the approval covers exactly the
content hash the reviewer saw; the author may not approve their own version. Marketing sends may
only use approved versions; the send path loads versions through `TemplateCache`, which is safe
to cache because approved content never changes (only its status can move to RETIRED, which the
cache re-checks after a short TTL).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from google.protobuf import json_format
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi.channel.v1 import template_service_pb2 as tpl_pb2
from lingxi.common.v1 import customer_pb2, enums_pb2
from lingxi_channel.models import template_versions, templates
from lingxi_channel.rendering import validate_variables
from lingxi_common.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from lingxi_common.identity import Caller, Role

AUTHOR_ROLES = frozenset({Role.HQ_OPERATOR, Role.COMPLIANCE, Role.SERVICE})
REVIEWER_ROLES = frozenset({Role.COMPLIANCE, Role.SERVICE})
S = tpl_pb2


@dataclass(frozen=True, slots=True)
class LoadedVersion:
    template: tpl_pb2.Template
    version: tpl_pb2.TemplateVersion


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def content_hash(content: tpl_pb2.TemplateContent, variables: list[tpl_pb2.TemplateVariable]) -> str:
    digest = hashlib.sha256(content.SerializeToString(deterministic=True))
    for var in variables:
        digest.update(var.SerializeToString(deterministic=True))
    return digest.hexdigest()


def _check_author(caller: Caller) -> None:
    if caller.role not in AUTHOR_ROLES:
        raise PermissionDenied("templates are written by hq_operator or compliance")


def _validate_definition(
    channel: int, content: tpl_pb2.TemplateContent, variables: list[tpl_pb2.TemplateVariable]
) -> None:
    if not content.body and not content.title and not content.wechat_fields:
        raise InvalidArgument("content.body", "a template needs a body, a title or WeChat fields")
    seen: set[str] = set()
    for index, var in enumerate(variables):
        if not var.name.isidentifier():
            raise InvalidArgument(f"variables[{index}].name", "must be an identifier (letters, digits, _)")
        if var.name in seen:
            raise InvalidArgument(f"variables[{index}].name", f"{var.name!r} is declared twice")
        seen.add(var.name)
        if var.example:
            _, problems = validate_variables([var], {var.name: var.example})
            if problems:
                raise InvalidArgument(f"variables[{index}].example", problems[0].message)
    fallback_channels: set[int] = set()
    for index, fallback in enumerate(content.fallback_templates):
        name = f"content.fallback_templates[{index}]"
        if fallback.channel in (enums_pb2.CHANNEL_UNSPECIFIED, channel):
            raise InvalidArgument(f"{name}.channel", "another channel than the template's own is required")
        if fallback.channel in fallback_channels:
            raise InvalidArgument(f"{name}.channel", "this channel already has a fallback template")
        fallback_channels.add(fallback.channel)
        if not fallback.template_code:
            raise InvalidArgument(f"{name}.template_code", "required")
        if fallback.template_version < 0:
            raise InvalidArgument(f"{name}.template_version", "0 (current) or a version number")
    needs_provider_id = channel in (
        enums_pb2.CHANNEL_SMS,
        enums_pb2.CHANNEL_WECHAT_OA,
        enums_pb2.CHANNEL_WECHAT_MINI,
    )
    if needs_provider_id and not content.provider_template_id:
        raise InvalidArgument(
            "content.provider_template_id", "SMS and WeChat templates need the provider's id"
        )


def _version_row_to_proto(row: sa.Row) -> tpl_pb2.TemplateVersion:
    version = tpl_pb2.TemplateVersion(
        template_code=row.template_code,
        version=row.version,
        status=row.status,
        content=json_format.ParseDict(row.content, tpl_pb2.TemplateContent()),
        variables=[json_format.ParseDict(item, tpl_pb2.TemplateVariable()) for item in row.variables],
        content_sha256=row.content_sha256,
        created_at=_ts(row.created_at),
        created_by=customer_pb2.Actor(subject=row.created_by, role=row.created_by_role),
        review_comment=row.review_comment,
    )
    if row.reviewed_by:
        version.reviewed_by.CopyFrom(customer_pb2.Actor(subject=row.reviewed_by, role=row.reviewed_by_role))
    if row.reviewed_at:
        version.reviewed_at.CopyFrom(_ts(row.reviewed_at))
    return version


def _template_row_to_proto(row: sa.Row) -> tpl_pb2.Template:
    return tpl_pb2.Template(
        template_code=row.template_code,
        name=row.name,
        channel=row.channel,
        message_class=row.message_class,
        description=row.description,
        owner=row.owner,
        current_version=row.current_version,
        created_at=_ts(row.created_at),
    )


async def _insert_version(
    session: AsyncSession,
    caller: Caller,
    code: str,
    version: int,
    content: tpl_pb2.TemplateContent,
    variables: list[tpl_pb2.TemplateVariable],
) -> tpl_pb2.TemplateVersion:
    row = (
        await session.execute(
            template_versions.insert()
            .values(
                template_code=code,
                version=version,
                status=S.TEMPLATE_VERSION_STATUS_DRAFT,
                content=json_format.MessageToDict(content),
                variables=[json_format.MessageToDict(var) for var in variables],
                content_sha256=content_hash(content, variables),
                created_by=caller.subject,
                created_by_role=caller.role.value,
            )
            .returning(*template_versions.c)
        )
    ).one()
    return _version_row_to_proto(row)


async def create_template(
    session: AsyncSession, caller: Caller, request: tpl_pb2.CreateTemplateRequest
) -> tuple[tpl_pb2.Template, tpl_pb2.TemplateVersion]:
    _check_author(caller)
    template = request.template
    if not template.template_code or not template.template_code.replace("_", "").isalnum():
        raise InvalidArgument("template.template_code", "required; letters, digits and _ only")
    if template.channel == enums_pb2.CHANNEL_UNSPECIFIED:
        raise InvalidArgument("template.channel", "required")
    if template.message_class == enums_pb2.MESSAGE_CLASS_UNSPECIFIED:
        raise InvalidArgument("template.message_class", "required")
    if not template.name:
        raise InvalidArgument("template.name", "required")
    _validate_definition(template.channel, request.content, list(request.variables))
    inserted = await session.execute(
        pg_insert(templates)
        .values(
            template_code=template.template_code,
            name=template.name,
            channel=template.channel,
            message_class=template.message_class,
            description=template.description,
            owner=template.owner or caller.subject,
        )
        .on_conflict_do_nothing()
        .returning(*templates.c)
    )
    row = inserted.one_or_none()
    if row is None:
        raise AlreadyExists(f"template {template.template_code!r} already exists")
    version = await _insert_version(
        session, caller, template.template_code, 1, request.content, list(request.variables)
    )
    return _template_row_to_proto(row), version


async def _template_row(session: AsyncSession, code: str, *, lock: bool = False) -> sa.Row:
    query = sa.select(templates).where(templates.c.template_code == code)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise NotFound("template", code)
    return row


async def _version_row(session: AsyncSession, code: str, version: int, *, lock: bool = False) -> sa.Row:
    query = sa.select(template_versions).where(
        template_versions.c.template_code == code, template_versions.c.version == version
    )
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise NotFound("template version", f"{code}@{version}")
    return row


async def create_version(
    session: AsyncSession, caller: Caller, request: tpl_pb2.CreateTemplateVersionRequest
) -> tpl_pb2.TemplateVersion:
    _check_author(caller)
    template = await _template_row(session, request.template_code, lock=True)
    _validate_definition(template.channel, request.content, list(request.variables))
    latest = (
        await session.execute(
            sa.select(sa.func.coalesce(sa.func.max(template_versions.c.version), 0)).where(
                template_versions.c.template_code == request.template_code
            )
        )
    ).scalar_one()
    return await _insert_version(
        session, caller, request.template_code, int(latest) + 1, request.content, list(request.variables)
    )


async def _set_status(
    session: AsyncSession,
    code: str,
    version: int,
    status: int,
    *,
    reviewer: Caller | None = None,
    comment: str = "",
) -> tpl_pb2.TemplateVersion:
    values: dict[str, object] = {"status": status}
    if reviewer is not None:
        values.update(
            reviewed_by=reviewer.subject,
            reviewed_by_role=reviewer.role.value,
            reviewed_at=datetime.now(UTC),
            review_comment=comment,
        )
    row = (
        await session.execute(
            template_versions.update()
            .where(template_versions.c.template_code == code, template_versions.c.version == version)
            .values(**values)
            .returning(*template_versions.c)
        )
    ).one()
    return _version_row_to_proto(row)


async def submit_version(
    session: AsyncSession, caller: Caller, code: str, version: int
) -> tpl_pb2.TemplateVersion:
    _check_author(caller)
    row = await _version_row(session, code, version, lock=True)
    if row.status == S.TEMPLATE_VERSION_STATUS_PENDING_APPROVAL:
        return _version_row_to_proto(row)
    if row.status != S.TEMPLATE_VERSION_STATUS_DRAFT:
        raise FailedPrecondition(
            f"only a draft can be submitted; {code}@{version} is {S.TemplateVersionStatus.Name(row.status)}"
        )
    return await _set_status(session, code, version, S.TEMPLATE_VERSION_STATUS_PENDING_APPROVAL)


async def approve_version(
    session: AsyncSession, caller: Caller, request: tpl_pb2.ApproveTemplateVersionRequest
) -> tpl_pb2.TemplateVersion:
    if caller.role not in REVIEWER_ROLES:
        raise PermissionDenied("only compliance approves templates")
    code, version = request.template_code, request.version
    await _template_row(session, code, lock=True)
    row = await _version_row(session, code, version, lock=True)
    if row.status == S.TEMPLATE_VERSION_STATUS_APPROVED:
        return _version_row_to_proto(row)
    if row.status != S.TEMPLATE_VERSION_STATUS_PENDING_APPROVAL:
        raise FailedPrecondition(f"{code}@{version} is not pending approval")
    if row.created_by == caller.subject:
        raise PermissionDenied("the author of a version may not approve it")
    if request.content_sha256 != row.content_sha256:
        raise InvalidArgument("content_sha256", "does not match the version's content; review it again")
    approved = await _set_status(
        session, code, version, S.TEMPLATE_VERSION_STATUS_APPROVED, reviewer=caller, comment=request.comment
    )
    await session.execute(
        templates.update()
        .where(templates.c.template_code == code, templates.c.current_version < version)
        .values(current_version=version)
    )
    return approved


async def reject_version(
    session: AsyncSession, caller: Caller, request: tpl_pb2.RejectTemplateVersionRequest
) -> tpl_pb2.TemplateVersion:
    if caller.role not in REVIEWER_ROLES:
        raise PermissionDenied("only compliance rejects templates")
    if not request.comment:
        raise InvalidArgument("comment", "say why the version is rejected")
    row = await _version_row(session, request.template_code, request.version, lock=True)
    if row.status != S.TEMPLATE_VERSION_STATUS_PENDING_APPROVAL:
        raise FailedPrecondition("only a version pending approval can be rejected")
    return await _set_status(
        session,
        request.template_code,
        request.version,
        S.TEMPLATE_VERSION_STATUS_REJECTED,
        reviewer=caller,
        comment=request.comment,
    )


async def retire_version(
    session: AsyncSession, caller: Caller, request: tpl_pb2.RetireTemplateVersionRequest
) -> tpl_pb2.TemplateVersion:
    if caller.role not in REVIEWER_ROLES | {Role.HQ_OPERATOR}:
        raise PermissionDenied("only compliance or hq_operator retire templates")
    await _template_row(session, request.template_code, lock=True)
    await _version_row(session, request.template_code, request.version, lock=True)
    retired = await _set_status(
        session,
        request.template_code,
        request.version,
        S.TEMPLATE_VERSION_STATUS_RETIRED,
        reviewer=caller,
        comment=request.reason,
    )
    newest_approved = (
        await session.execute(
            sa.select(sa.func.coalesce(sa.func.max(template_versions.c.version), 0)).where(
                template_versions.c.template_code == request.template_code,
                template_versions.c.status == S.TEMPLATE_VERSION_STATUS_APPROVED,
            )
        )
    ).scalar_one()
    await session.execute(
        templates.update()
        .where(templates.c.template_code == request.template_code)
        .values(current_version=int(newest_approved))
    )
    return retired


async def get_template(session: AsyncSession, code: str, version: int) -> LoadedVersion:
    """`version` 0 = current approved version, or the latest one when none is approved."""
    template = await _template_row(session, code)
    wanted = version or template.current_version
    if not wanted:
        wanted = (
            await session.execute(
                sa.select(sa.func.max(template_versions.c.version)).where(
                    template_versions.c.template_code == code
                )
            )
        ).scalar_one()
    row = await _version_row(session, code, int(wanted))
    return LoadedVersion(_template_row_to_proto(template), _version_row_to_proto(row))


async def list_versions(session: AsyncSession, code: str) -> list[tpl_pb2.TemplateVersion]:
    await _template_row(session, code)
    rows = (
        await session.execute(
            sa.select(template_versions)
            .where(template_versions.c.template_code == code)
            .order_by(template_versions.c.version.desc())
        )
    ).all()
    return [_version_row_to_proto(row) for row in rows]


async def list_templates(
    session: AsyncSession, request: tpl_pb2.ListTemplatesRequest
) -> list[tpl_pb2.Template]:
    query = (
        sa.select(templates)
        .order_by(templates.c.template_code)
        .limit(min(request.page.page_size or 100, 1000))
    )
    if request.channel:
        query = query.where(templates.c.channel == request.channel)
    if request.message_class:
        query = query.where(templates.c.message_class == request.message_class)
    if request.query:
        query = query.where(
            templates.c.name.ilike(f"%{request.query}%")
            | templates.c.template_code.ilike(f"%{request.query}%")
        )
    if request.has_version_status:
        query = query.where(
            sa.exists().where(
                template_versions.c.template_code == templates.c.template_code,
                template_versions.c.status == request.has_version_status,
            )
        )
    return [_template_row_to_proto(row) for row in (await session.execute(query)).all()]


class TemplateCache:
    """Template versions for the send path, cached briefly (sends are hot, templates cold).

    A missing template is not cached, so a template created a moment ago is found at once; a
    retirement takes effect within `ttl` seconds.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], ttl: float = 5.0) -> None:
        self._sessions = sessions
        self._ttl = ttl
        self._entries: dict[tuple[str, int], tuple[float, LoadedVersion]] = {}

    async def load(self, code: str, version: int) -> LoadedVersion:
        key = (code, version)
        entry = self._entries.get(key)
        now = time.monotonic()
        if entry is not None and now - entry[0] < self._ttl:
            return entry[1]
        async with self._sessions() as session:
            loaded = await get_template(session, code, version)
        self._entries[key] = (now, loaded)
        return loaded

    def invalidate(self) -> None:
        self._entries.clear()
