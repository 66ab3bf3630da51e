"""Emulation clusters (cụm thi đua): list, create, edit, members, delete.

A cluster is administered where it is defined: an admin must administer its owner unit."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from emulation import access
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.errors import DomainError, NotFound
from emulation.extensions import db
from emulation.org import services
from emulation.org.forms import ClusterForm, ClusterMembersForm, ConfirmForm, choices
from emulation.org.models import COMPETING_KINDS, PROVINCIAL_KINDS, Cluster, Unit, UnitKind
from emulation.org.views import admin_paths, bp, fail, ip, scope_roots, unit_by_code


def administered_cluster(cluster_id: int) -> Cluster:
    cluster = db.session.get(Cluster, cluster_id)
    if cluster is None or cluster.owner_unit is None:
        raise NotFound()
    authz.require(current_user, "administer", cluster.owner_unit)
    return cluster


def owner_choices() -> list:
    """Units a cluster may be defined under: the admin's roots and their provinces."""
    out = []
    for root in scope_roots():
        out.append((root.code, f"{root.name} ({root.code})"))
        if root.kind is UnitKind.MINISTRY:
            out += [
                (u.code, f"{u.name} ({u.code})") for u in services.child_units(db.session, root)
            ]
    return choices(out)


def candidates(cluster: Cluster) -> list[Unit]:
    """Units that may join: provinces for a ministry cluster, competing units otherwise."""
    owner = cluster.owner_unit
    kinds = PROVINCIAL_KINDS if owner.kind is UnitKind.MINISTRY else COMPETING_KINDS
    return list(
        db.session.scalars(
            select(Unit)
            .where(
                Unit.path.startswith(owner.path, autoescape=True),
                Unit.id != owner.id,
                Unit.kind.in_(kinds),
                or_(Unit.active.is_(True), Unit.cluster_id == cluster.id),
            )
            .order_by(Unit.path)
        )
    )


@bp.get("/clusters/")
@access.roles(Role.ADMIN)
def clusters():
    paths = admin_paths()
    rows = db.session.scalars(
        select(Cluster)
        .join(Unit, Unit.id == Cluster.owner_unit_id)
        .where(or_(*(Unit.path.startswith(p, autoescape=True) for p in paths)))
        .order_by(Unit.path, Cluster.code)
    ).all()
    form = ClusterForm()
    form.owner.choices = owner_choices()
    return render_template("org/clusters.html", clusters=rows, form=form)


@bp.post("/clusters/new")
@access.roles(Role.ADMIN)
def create_cluster():
    form = ClusterForm()
    form.owner.choices = owner_choices()
    if form.validate_on_submit():
        try:
            owner = unit_by_code(form.owner.data or "")
            cluster = services.create_cluster(
                db.session,
                code=form.code.data,
                name=form.name.data,
                owner=owner,
                actor=current_user,
                ip=ip(),
            )
            db.session.commit()
            flash(_("Cluster created. Now choose its members."), "success")
            return redirect(url_for("org.cluster", cluster_id=cluster.id))
        except DomainError as err:
            fail(err)
    else:
        flash(_("Give the cluster a code (up to 40 characters) and a name."), "danger")
    return redirect(url_for("org.clusters"))


@bp.get("/clusters/<int:cluster_id>")
@access.roles(Role.ADMIN)
def cluster(cluster_id: int):
    cluster = administered_cluster(cluster_id)
    form = ClusterForm(obj=cluster)
    form.owner.choices = choices([(cluster.owner_unit.code, cluster.owner_unit.name)])
    members_form = ClusterMembersForm()
    units = candidates(cluster)
    members_form.units.choices = choices((u.id, u.name) for u in units)
    members_form.units.data = [u.id for u in cluster.units]
    return render_template(
        "org/cluster.html",
        cluster=cluster,
        form=form,
        members_form=members_form,
        units=units,
        delete_form=ConfirmForm(),
    )


@bp.post("/clusters/<int:cluster_id>")
@access.roles(Role.ADMIN)
def update_cluster(cluster_id: int):
    cluster = administered_cluster(cluster_id)
    form = ClusterForm()
    form.owner.choices = choices([(cluster.owner_unit.code, cluster.owner_unit.name)])
    if form.validate_on_submit():
        try:
            services.update_cluster(
                db.session,
                cluster=cluster,
                code=form.code.data,
                name=form.name.data,
                actor=current_user,
                ip=ip(),
            )
            db.session.commit()
            flash(_("Cluster saved."), "success")
        except DomainError as err:
            fail(err)
    return redirect(url_for("org.cluster", cluster_id=cluster_id))


@bp.post("/clusters/<int:cluster_id>/members")
@access.roles(Role.ADMIN)
def set_members(cluster_id: int):
    cluster = administered_cluster(cluster_id)
    form = ClusterMembersForm()
    if form.validate_on_submit():
        ids = set(form.units.data or [])
        units = list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)))) if ids else []
        try:
            services.set_cluster_members(
                db.session, cluster=cluster, units=units, actor=current_user, ip=ip()
            )
            db.session.commit()
            flash(_("Members saved: %(n)d units.", n=len(units)), "success")
        except DomainError as err:
            fail(err)
    return redirect(url_for("org.cluster", cluster_id=cluster_id))


@bp.post("/clusters/<int:cluster_id>/delete")
@access.roles(Role.ADMIN)
def delete_cluster(cluster_id: int):
    cluster = administered_cluster(cluster_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.delete_cluster(db.session, cluster=cluster, actor=current_user, ip=ip())
            db.session.commit()
            flash(_("Cluster deleted."), "success")
            return redirect(url_for("org.clusters"))
        except DomainError as err:
            fail(err)
    return redirect(url_for("org.cluster", cluster_id=cluster_id))
