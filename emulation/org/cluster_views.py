"""Emulation clusters (cụm thi đua): list, create, edit, members, delete.

A cluster is administered where it is defined: an admin must administer its owner unit."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _

from emulation import access, web
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.errors import NotFound
from emulation.extensions import db
from emulation.forms import ConfirmForm, choices
from emulation.org import cluster_services, services
from emulation.org.forms import ClusterForm, ClusterMembersForm
from emulation.org.models import Cluster, UnitKind
from emulation.org.views import bp, scope_roots, unit_by_code


def administered_cluster(cluster_id: int) -> Cluster:
    cluster = db.session.get(Cluster, cluster_id)
    if cluster is None or cluster.owner_unit is None:
        raise NotFound()
    authz.require(web.actor(), "administer", cluster.owner_unit)
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


def _to_cluster(cluster: Cluster) -> str:
    return url_for("org.cluster", cluster_id=cluster.id)


@bp.get("/clusters/")
@access.roles(Role.ADMIN)
def clusters():
    form = ClusterForm()
    form.owner.choices = owner_choices()
    rows = cluster_services.clusters_in(db.session, authz.scope_filter(web.actor(), [Role.ADMIN]))
    return render_template("org/clusters.html", clusters=rows, form=form)


@bp.post("/clusters/new")
@access.roles(Role.ADMIN)
def create_cluster():
    form = ClusterForm()
    form.owner.choices = owner_choices()
    return web.form_action(
        form,
        lambda form: cluster_services.create_cluster(
            db.session,
            code=form.code.data,
            name=form.name.data,
            owner=unit_by_code(form.owner.data or ""),
            actor=web.actor(),
            ip=web.client_ip(),
        ),
        success=_("Cluster created. Now choose its members."),
        to=_to_cluster,
        back=url_for("org.clusters"),
    )


@bp.get("/clusters/<int:cluster_id>")
@access.roles(Role.ADMIN)
def cluster(cluster_id: int):
    cluster = administered_cluster(cluster_id)
    form = ClusterForm(obj=cluster)
    form.owner.choices = choices([(cluster.owner_unit.code, cluster.owner_unit.name)])
    members_form = ClusterMembersForm()
    units = cluster_services.cluster_candidates(db.session, cluster)
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
    return web.form_action(
        form,
        lambda form: cluster_services.update_cluster(
            db.session,
            cluster=cluster,
            code=form.code.data,
            name=form.name.data,
            actor=web.actor(),
            ip=web.client_ip(),
        ),
        success=_("Cluster saved."),
        to=_to_cluster(cluster),
    )


@bp.post("/clusters/<int:cluster_id>/members")
@access.roles(Role.ADMIN)
def set_members(cluster_id: int):
    cluster = administered_cluster(cluster_id)
    return web.form_action(
        ClusterMembersForm(),
        lambda form: cluster_services.set_cluster_members(
            db.session,
            cluster=cluster,
            units=cluster_services.units_by_id(db.session, form.units.data or []),
            actor=web.actor(),
            ip=web.client_ip(),
        ),
        success=lambda cluster: _("Members saved: %(n)d units.", n=len(cluster.units)),
        to=_to_cluster(cluster),
    )


@bp.post("/clusters/<int:cluster_id>/delete")
@access.roles(Role.ADMIN)
def delete_cluster(cluster_id: int):
    cluster = administered_cluster(cluster_id)
    return web.form_action(
        ConfirmForm(),
        lambda _form: cluster_services.delete_cluster(
            db.session, cluster=cluster, actor=web.actor(), ip=web.client_ip()
        ),
        success=_("Cluster deleted."),
        to=url_for("org.clusters"),
        back=_to_cluster(cluster),
    )
