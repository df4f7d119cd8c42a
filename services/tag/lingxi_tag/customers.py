"""Customer master data: validated upserts with encrypted PII and change events; scoped reads.

An upsert that changes nothing writes nothing and announces nothing, so nightly re-imports and
retried calls are harmless. Every real change bumps the customer's version and emits
`CustomerChanged` through the outbox in the same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import customer_pb2 as common_customer_pb2
from lingxi.common.v1 import date_pb2, enums_pb2, event_meta_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import customer_pb2
from lingxi_common.errors import Conflict, InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_common.outbox import emit
from lingxi_common.pii import PiiCipher, mask_id_number, mask_openid, mask_phone
from lingxi_tag.models import customer_scope_changes, customers, outbox, pii_access_log

PII_FIELDS = ("phone", "id_number", "wechat_openid", "wechat_unionid", "display_name")
PLAIN_FIELDS = (
    "branch_id",
    "advisor_id",
    "risk_level",
    "risk_assessment_expires_on",
    "professional_investor",
    "opened_on",
    "age_band",
    "city",
    "consents",
    "customer_type",
    "status",
    "attributes",
)
WRITABLE_FIELDS = PLAIN_FIELDS + PII_FIELDS
WRITER_ROLES = frozenset({Role.HQ_OPERATOR, Role.SERVICE})

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_PHONE = re.compile(r"^1[3-9]\d{9}$")
_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
_ATTRIBUTE_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _mask_name(name: str) -> str:
    return f"{name[0]}{'*' * (len(name) - 1)}" if name else ""


_MASKERS = {
    "phone": mask_phone,
    "id_number": mask_id_number,
    "wechat_openid": mask_openid,
    "wechat_unionid": mask_openid,
    "display_name": _mask_name,
}


def _to_date(value: date_pb2.Date, field: str) -> date | None:
    if value.year == 0 and value.month == 0 and value.day == 0:
        return None
    try:
        return date(value.year, value.month, value.day)
    except ValueError as error:
        raise InvalidArgument(field, f"not a valid date ({error})") from error


def _from_date(value: date | None) -> date_pb2.Date | None:
    return date_pb2.Date(year=value.year, month=value.month, day=value.day) if value else None


def validate(customer: customer_pb2.Customer, fields: Iterable[str]) -> None:
    """Refuse bad input with the field that is wrong; nothing is written on refusal."""
    if not _ID.match(customer.customer_id):
        raise InvalidArgument("customer.customer_id", "required: 1-64 letters, digits, '_', '.', '-'")
    chosen = set(fields)
    if "branch_id" in chosen and not _ID.match(customer.branch_id):
        raise InvalidArgument("customer.branch_id", "required: 1-64 letters, digits, '_', '.', '-'")
    if "advisor_id" in chosen and customer.advisor_id and not _ID.match(customer.advisor_id):
        raise InvalidArgument("customer.advisor_id", "1-64 letters, digits, '_', '.', '-'")
    if "risk_level" in chosen and customer.risk_level not in enums_pb2.RiskLevel.values():
        raise InvalidArgument("customer.risk_level", f"unknown risk level {customer.risk_level}")
    if "phone" in chosen and customer.phone and not _PHONE.match(customer.phone):
        raise InvalidArgument("customer.phone", "must be an 11-digit mainland mobile number")
    if "id_number" in chosen and customer.id_number and not _ID_NUMBER.match(customer.id_number.upper()):
        raise InvalidArgument("customer.id_number", "must be an 18-character resident id number")
    if "attributes" in chosen:
        for key in customer.attributes:
            if not _ATTRIBUTE_KEY.match(key):
                raise InvalidArgument(
                    f"customer.attributes[{key}]", "keys are snake_case, at most 64 characters"
                )
    for field in ("risk_assessment_expires_on", "opened_on"):
        if field in chosen:
            _to_date(getattr(customer, field), f"customer.{field}")
    if "consents" in chosen:
        for index, consent in enumerate(customer.consents):
            if consent.channel == enums_pb2.CHANNEL_UNSPECIFIED:
                raise InvalidArgument(f"customer.consents[{index}].channel", "required")


def _consents_json(consents: Iterable[common_customer_pb2.ChannelConsent]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for consent in consents:
        result[enums_pb2.Channel.Name(consent.channel)] = {
            "status": common_customer_pb2.ConsentStatus.Name(consent.status),
            "source": consent.source,
            "updated_at": consent.updated_at.ToDatetime(tzinfo=UTC).isoformat()
            if consent.HasField("updated_at")
            else None,
        }
    return result


def columns_for(customer: customer_pb2.Customer, fields: Iterable[str], cipher: PiiCipher) -> dict[str, Any]:
    """Column values for the chosen fields; PII is encrypted and indexed here, nowhere else."""
    values: dict[str, Any] = {}
    for field in fields:
        if field in PII_FIELDS:
            plain = getattr(customer, field).strip()
            if field == "id_number":
                plain = plain.upper()
            values[f"{field}_enc"] = cipher.encrypt(plain, context=f"customer.{field}") if plain else None
            if field != "display_name":
                values[f"{field}_index"] = cipher.blind_index(plain, context=field) if plain else None
        elif field in ("risk_assessment_expires_on", "opened_on"):
            values[field] = _to_date(getattr(customer, field), f"customer.{field}")
        elif field == "risk_level":
            values[field] = customer.risk_level or None
        elif field == "advisor_id":
            values[field] = customer.advisor_id or None
        elif field == "consents":
            values[field] = _consents_json(customer.consents)
        elif field == "attributes":
            values[field] = dict(customer.attributes)
        elif field == "customer_type":
            values[field] = customer.customer_type or customer_pb2.CUSTOMER_TYPE_INDIVIDUAL
        elif field == "status":
            values[field] = customer.status or customer_pb2.CUSTOMER_STATUS_ACTIVE
        else:
            values[field] = getattr(customer, field)
    return values


def _changed_fields(existing: sa.Row[Any], values: dict[str, Any], cipher: PiiCipher) -> list[str]:
    """Fields whose stored value differs; PII is compared by blind index or by decrypting."""
    changed = set()
    for column, value in values.items():
        if column == "display_name_enc":
            stored = existing._mapping[column]
            old = (
                cipher.decrypt(bytes(stored), context="customer.display_name") if stored is not None else None
            )
            new = cipher.decrypt(value, context="customer.display_name") if value is not None else None
            if old != new:
                changed.add("display_name")
        elif column.endswith("_enc"):
            continue  # ciphertexts differ on every encryption; the blind index is compared instead
        elif existing._mapping[column] != value:
            changed.add(column.removesuffix("_index"))
    return sorted(changed)


async def upsert_customer(
    session: AsyncSession,
    cipher: PiiCipher,
    caller: Caller,
    customer: customer_pb2.Customer,
    update_mask: Iterable[str],
    expected_version: int,
    *,
    correlation_id: str = "",
) -> tuple[customer_pb2.Customer, bool]:
    if not caller.has_role(WRITER_ROLES):
        raise PermissionDenied(f"role {caller.role.value} may not change customer master data")
    paths = list(update_mask) or list(WRITABLE_FIELDS)
    unknown = sorted(set(paths) - set(WRITABLE_FIELDS))
    if unknown:
        raise InvalidArgument("update_mask", f"unknown or read-only field(s): {', '.join(unknown)}")
    validate(customer, paths)
    values = columns_for(customer, paths, cipher)
    existing = (
        await session.execute(
            sa.select(customers).where(customers.c.customer_id == customer.customer_id).with_for_update()
        )
    ).first()
    created = existing is None
    if existing is None:
        if expected_version:
            raise Conflict(
                f"customer {customer.customer_id!r} does not exist (expected version {expected_version})"
            )
        if "branch_id" not in paths:
            raise InvalidArgument("customer.branch_id", "required when creating a customer")
        inserted = await session.execute(
            postgresql.insert(customers)
            .values(customer_id=customer.customer_id, **values)
            .on_conflict_do_nothing()
            .returning(customers)
        )
        row = inserted.first()
        if row is None:  # created concurrently by another call: retry as an update
            return await upsert_customer(
                session,
                cipher,
                caller,
                customer,
                update_mask,
                expected_version,
                correlation_id=correlation_id,
            )
        changed = sorted(
            field for field in paths if field in PII_FIELDS or values.get(field) not in (None, "", {})
        )
    else:
        if expected_version and existing.version != expected_version:
            raise Conflict(
                f"customer {customer.customer_id!r} is at version {existing.version}, not {expected_version}"
            )
        changed = _changed_fields(existing, values, cipher)
        if not changed:
            return to_proto(existing, cipher, reveal=caller.may_read_pii), False
        row = (
            await session.execute(
                customers.update()
                .where(customers.c.customer_id == customer.customer_id)
                .values(**values, version=customers.c.version + 1, updated_at=sa.func.now())
                .returning(customers)
            )
        ).one()
        if "branch_id" in changed or "advisor_id" in changed:
            # The audience index moves the customer between its branch/advisor bitmaps from this.
            await session.execute(
                customer_scope_changes.insert().values(
                    customer_id=row.customer_id,
                    old_branch_id=existing.branch_id,
                    old_advisor_id=existing.advisor_id,
                )
            )
    await emit(
        session,
        outbox,
        tag_events_pb2.CustomerChanged(
            meta=_meta(correlation_id),
            customer_id=row.customer_id,
            branch_id=row.branch_id,
            advisor_id=row.advisor_id or "",
            kind=tag_events_pb2.CHANGE_KIND_CREATED if created else tag_events_pb2.CHANGE_KIND_UPDATED,
            changed_fields=changed,
            version=row.version,
            risk_level=row.risk_level or 0,
            risk_assessment_expires_on=_from_date(row.risk_assessment_expires_on),
            professional_investor=row.professional_investor,
            status=row.status,
        ),
    )
    return to_proto(row, cipher, reveal=caller.may_read_pii), created


def _meta(correlation_id: str) -> event_meta_pb2.EventMeta:
    import uuid

    meta = event_meta_pb2.EventMeta(event_id=str(uuid.uuid4()), producer="tag", correlation_id=correlation_id)
    meta.occurred_at.GetCurrentTime()
    return meta


async def get_customer(
    session: AsyncSession,
    cipher: PiiCipher,
    caller: Caller,
    customer_id: str,
    *,
    request_id: str | None = None,
) -> customer_pb2.Customer:
    if caller.role in (Role.PARTNER, Role.SRE):
        raise PermissionDenied(f"role {caller.role.value} may not read customer profiles")
    row = (await session.execute(sa.select(customers).where(customers.c.customer_id == customer_id))).first()
    if row is None:
        raise NotFound("customer", customer_id)
    if not caller.can_see_customer(
        customer_id=row.customer_id, branch_id=row.branch_id, advisor_id=row.advisor_id
    ):
        raise PermissionDenied(f"customer {customer_id!r} is outside your data scope")
    reveal = caller.may_read_pii
    if reveal:
        revealed = [field for field in PII_FIELDS if row._mapping[f"{field}_enc"] is not None]
        if revealed:
            await session.execute(
                pii_access_log.insert().values(
                    customer_id=customer_id,
                    subject=caller.subject,
                    role=caller.role.value,
                    fields=revealed,
                    request_id=request_id,
                )
            )
    return to_proto(row, cipher, reveal=reveal)


def _timestamp(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def to_proto(
    row: sa.Row[Any], cipher: PiiCipher, *, reveal: bool, fields: frozenset[str] | None = None
) -> customer_pb2.Customer:
    """The customer as the caller may see it: PII decrypted, then masked unless `reveal`.

    With ``fields``, only those Customer fields are filled (and only those PII fields decrypted).
    """
    m = row._mapping
    message = customer_pb2.Customer(
        customer_id=m["customer_id"],
        branch_id=m["branch_id"],
        advisor_id=m["advisor_id"] or "",
        risk_level=m["risk_level"] or 0,
        professional_investor=m["professional_investor"],
        age_band=m["age_band"] or "",
        city=m["city"] or "",
        customer_type=m["customer_type"],
        status=m["status"],
        version=m["version"],
        attributes=m["attributes"],
        pii_masked=not reveal,
        created_at=_timestamp(m["created_at"]),
        updated_at=_timestamp(m["updated_at"]),
    )
    for field in ("risk_assessment_expires_on", "opened_on"):
        value = _from_date(m[field])
        if value is not None:
            getattr(message, field).CopyFrom(value)
    for channel, consent in (m["consents"] or {}).items():
        entry = message.consents.add(
            channel=enums_pb2.Channel.Value(channel),
            status=common_customer_pb2.ConsentStatus.Value(consent["status"]),
            source=consent.get("source") or "",
        )
        if consent.get("updated_at"):
            entry.updated_at.FromDatetime(datetime.fromisoformat(consent["updated_at"]))
    for field in PII_FIELDS:
        blob = m[f"{field}_enc"]
        if blob is None or (fields is not None and field not in fields):
            continue
        plain = cipher.decrypt(bytes(blob), context=f"customer.{field}")
        setattr(message, field, plain if reveal else _MASKERS[field](plain))
    if fields is not None:
        for descriptor in customer_pb2.Customer.DESCRIPTOR.fields:
            if descriptor.name not in fields and descriptor.name not in ("customer_id", "pii_masked"):
                message.ClearField(descriptor.name)
    return message
