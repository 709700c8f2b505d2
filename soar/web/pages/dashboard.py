"""The operation dashboard: arrests to date and every figure leadership reports."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import Response

from soar.cases.workflow import Role
from soar.report import charts
from soar.report.stats import operation_stats
from soar.web.render import render
from soar.web.security import PageUser, require_role, settings_of, store_of

router = APIRouter()


# Drawing is most of a dashboard's time and the figures change rarely: the same figures
# give the same SVG, so each chart is drawn once per distinct set of figures.
@lru_cache(maxsize=256)
def _bars(items: tuple[tuple[str, int], ...], title: str) -> str:
    return charts.bar_svg(dict(items), title=title)


@lru_cache(maxsize=64)
def _cumulative(points: tuple[tuple[date, int], ...], title: str) -> str:
    return charts.cumulative_arrests_svg(list(points), title=title)


VIEWERS = (Role.ANALYST, Role.SUPERVISOR, Role.FIELD_OFFICER, Role.AUDITOR)


@router.get("/dashboard")
def dashboard(request: Request, user: PageUser) -> Response:
    require_role(user, *VIEWERS, action="see the operation's figures")
    # A field officer sees the figures of their own field office only.
    office = user.field_office if user.role == Role.FIELD_OFFICER else None
    with store_of(request).transaction() as session:
        stats = operation_stats(session, as_of=settings_of(request).as_of(), field_office=office)
    svgs = {
        "cumulative": _cumulative(tuple(stats.cumulative_arrests), stats.headline),
        "category": _bars(tuple(stats.by_offense_category.items()), "Arrests by offense category"),
        "office": _bars(tuple(stats.by_field_office.items()), "Arrests by field office"),
        "country": _bars(tuple(stats.by_country.items()), "Arrests by country of citizenship"),
    }
    return render(request, "dashboard.html", {"user": user, "stats": stats, "charts": svgs})
