"""Identity stitching for a run of behaviour events: one look-up query, links applied in order.

An identity (device / anonymous id, or a login id mapped elsewhere) is stored per source under a
keyed hash (``value_index``) with the value itself encrypted. ``IdentityBook`` answers "which
customer is this id?" for a whole run of events from ONE query, and is updated in event order as
the run links ids, so an event after a link in the same run resolves exactly as if the events had
been handled one by one. Links are written afterwards by ``apply_link``, which also attributes the
events already stored under the id (``customer_id IS NULL``) — including earlier events of the
same run — and returns them so their aggregates are added then, exactly once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi_common.pii import PiiCipher
from lingxi_tag.aggregates import StoredEvent
from lingxi_tag.locks import lock_all, lock_key
from lingxi_tag.models import behavior_events, identities


@dataclass(frozen=True)
class Link:
    """``value`` (an anonymous id of ``source_id``) now belongs to ``customer_id``."""

    source_id: str
    value: str
    value_index: str
    customer_id: str
    identity_type: int
    event_id: str
    causation_id: str


class IdentityBook:
    """Customer of each identity of a run of events, looked up once and kept current in order."""

    def __init__(self, cipher: PiiCipher) -> None:
        self._cipher = cipher
        self._indexes: dict[str, str] = {}
        self._customers: dict[tuple[str, str], str | None] = {}

    def index(self, value: str) -> str:
        """The keyed hash of an identity value (cached: the same device sends many events)."""
        found = self._indexes.get(value)
        if found is None:
            found = self._cipher.blind_index(value, context="identity")
            self._indexes[value] = found
        return found

    async def load(self, session: AsyncSession, wanted: Iterable[tuple[str, str]]) -> None:
        """Look up every (source, value) the run may need, in one query."""
        keys = {(source, self.index(value)) for source, value in wanted if value}
        keys -= set(self._customers)
        if not keys:
            return
        for key in keys:
            self._customers[key] = None
        rows = await session.execute(
            sa.text(
                "SELECT i.source_id, i.value_index, i.customer_id FROM tag.identities i "
                "JOIN unnest(CAST(:sources AS text[]), CAST(:indexes AS text[])) "
                "AS w(source_id, value_index) USING (source_id, value_index)"
            ),
            {"sources": [source for source, _ in keys], "indexes": [index for _, index in keys]},
        )
        for row in rows:
            self._customers[(row.source_id, row.value_index)] = row.customer_id

    def customer_of(self, source_id: str, value: str) -> str | None:
        return self._customers.get((source_id, self.index(value)))

    def customer_of_login(self, source_id: str, user_id: str) -> str:
        """A login id is the customer id unless a LOGIN identity maps it to another customer."""
        return self.customer_of(source_id, user_id) or user_id

    def link(
        self,
        source_id: str,
        value: str,
        customer_id: str,
        identity_type: int,
        event_id: str,
        causation_id: str,
    ) -> Link | None:
        """Record that ``value`` now belongs to ``customer_id``; None when it already did."""
        value_index = self.index(value)
        if self._customers.get((source_id, value_index)) == customer_id:
            return None
        self._customers[(source_id, value_index)] = customer_id
        return Link(source_id, value, value_index, customer_id, identity_type, event_id, causation_id)


async def apply_link(session: AsyncSession, cipher: PiiCipher, link: Link) -> list[StoredEvent]:
    """Store ``link`` and attribute the id's unattributed events; returns those events.

    Takes the id's and the customer's locks first (identity before customer, as the event path
    does; a no-op when the caller holds them already), so a link made over gRPC and events of
    the same id applied by the consumer at the same time cannot leave an event unattributed.
    """
    await lock_all(session, [lock_key("identity", f"{link.source_id}:{link.value}")])
    await lock_all(session, [lock_key("customer", link.customer_id)])
    statement = postgresql.insert(identities).values(
        source_id=link.source_id,
        value_index=link.value_index,
        identity_type=link.identity_type,
        value_enc=cipher.encrypt(link.value, context="identity"),
        customer_id=link.customer_id,
        linked_by_event_id=link.event_id,
    )
    # The latest login on a device wins (a shared or resold phone moves to its new owner).
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[identities.c.source_id, identities.c.value_index],
            set_={
                "customer_id": statement.excluded.customer_id,
                "linked_at": sa.func.now(),
                "linked_by_event_id": statement.excluded.linked_by_event_id,
            },
            where=identities.c.customer_id != statement.excluded.customer_id,
        )
    )
    rows = (
        await session.execute(
            behavior_events.update()
            .where(
                behavior_events.c.source_id == link.source_id,
                behavior_events.c.identity_index == link.value_index,
                behavior_events.c.customer_id.is_(None),
            )
            .values(customer_id=link.customer_id)
            .returning(
                behavior_events.c.event_id,
                behavior_events.c.event_name,
                behavior_events.c.occurred_at,
                behavior_events.c.properties,
            )
        )
    ).all()
    return [
        StoredEvent(
            row.event_id, link.customer_id, row.event_name, row.occurred_at, row.properties, link.causation_id
        )
        for row in rows
    ]


def identity_hash(source_id: str, value: str) -> str:
    """The digest announced in IdentityLinked (never the id itself)."""
    return hashlib.sha256(f"{source_id}:{value}".encode()).hexdigest()
