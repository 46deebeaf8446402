"""The agency catalogue: the list administrators see, and the aliases they add.

An alias is another spelling of an agency's name ("VP UBND tỉnh", an old name) that the
importer and the template command then recognise.
"""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import models as m
from data_access.db import bump_data_version
from data_access.permissions import Actor, record_audit, require
from data_access.tables import AG, AL, A
from data_access.vn import nfc, search_key, vi_sort_key

KIND_LABELS = {
    m.KIND_PROVINCIAL: "Sở, ban, ngành",
    m.KIND_DIVISION: "Đơn vị thuộc",
    m.KIND_LOCAL: "Chính quyền địa phương",
    m.KIND_GROUP: "Nhóm cơ quan",
    m.KIND_OTHER: "Cơ quan, tổ chức khác",
}


def agency_catalogue(engine: Engine) -> pd.DataFrame:
    """Every agency in Vietnamese order: id, name, kind, parent, successor, valid_to, contact_email, aliases,
    lead_tasks."""
    parent = AG.alias("parent")
    successor = AG.alias("successor")
    leads = (select(A.c.agency_id, func.count().label("n")).where(A.c.role == m.ASSIGNMENT_LEAD)
             .group_by(A.c.agency_id).subquery())
    stmt = (
        select(AG.c.id, AG.c.name, AG.c.kind, parent.c.name.label("parent"), successor.c.name.label("successor"),
               AG.c.valid_to, AG.c.contact_email, func.coalesce(leads.c.n, 0).label("lead_tasks"))
        .select_from(AG.outerjoin(parent, parent.c.id == AG.c.parent_id)
                     .outerjoin(successor, successor.c.id == AG.c.successor_id)
                     .outerjoin(leads, leads.c.agency_id == AG.c.id))
    )
    with engine.connect() as conn:
        rows = pd.DataFrame(conn.execute(stmt).mappings().all())
        aliases = conn.execute(select(AL.c.agency_id, AL.c.alias)).all()
    if rows.empty:
        return rows
    by_agency: dict[int, list[str]] = {}
    for agency_id, alias in aliases:
        by_agency.setdefault(int(agency_id), []).append(alias)
    rows["aliases"] = [sorted(by_agency.get(int(i), []), key=vi_sort_key) for i in rows["id"]]
    order = sorted(range(len(rows)), key=lambda i: vi_sort_key(str(rows["name"].iloc[i])))
    return rows.iloc[order].reset_index(drop=True)


def add_alias(engine: Engine, actor: Actor | None, agency_id: int, alias: str) -> None:
    """Record another name for an agency (administrators only); refuses names already in use."""
    require(actor, "manage_agencies")
    assert actor is not None
    text = nfc(alias)
    key = search_key(text)
    if len(key) < 3:
        raise ValueError("Tên gọi khác phải có ít nhất 3 ký tự chữ hoặc số.")
    with Session(engine) as session:
        agency = session.get(m.Agency, agency_id)
        if agency is None:
            raise ValueError("Không tìm thấy cơ quan.")
        conn = session.connection()
        taken = conn.execute(select(AG.c.name).where(AG.c.search_key == key)).scalar() or \
            conn.execute(select(AL.c.alias).where(AL.c.search_key == key)).scalar()
        if taken:
            raise ValueError(f"Tên '{text}' đã được dùng cho một cơ quan ({taken}).")
        session.add(m.AgencyAlias(agency_id=agency_id, alias=text, search_key=key))
        record_audit(session, actor, "them_ten_goi_khac", f"{agency.name}: {text}")
        bump_data_version(session)
        session.commit()


_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")


def set_contact_email(engine: Engine, actor: Actor | None, agency_id: int, email: str) -> str | None:
    """Set (or, with an empty `email`, clear) the address reminders go to (administrators only); audited.

    Returns the stored address. ValueError (Vietnamese) for an address that is not one address.
    """
    require(actor, "manage_agencies")
    assert actor is not None
    address = email.strip() or None
    if address is not None and not _EMAIL.fullmatch(address):
        raise ValueError(f"Địa chỉ e-mail không hợp lệ: '{address}' (một địa chỉ, ví dụ vanthu@snv.khanhhoa.gov.vn).")
    with Session(engine) as session:
        agency = session.get(m.Agency, agency_id)
        if agency is None:
            raise ValueError("Không tìm thấy cơ quan.")
        before = agency.contact_email
        if before == address:
            return address
        agency.contact_email = address
        session.add(agency)
        record_audit(session, actor, "dat_email_co_quan",
                     f"{agency.name}: e-mail nhận nhắc báo cáo {before or '(chưa có)'} -> {address or '(xóa)'}")
        session.commit()
    return address
