import pytest

from adapters.db import db
from adapters.models import Department, Region
from tests import factories as f


@pytest.fixture
def world(app):
    f.region()
    f.region("130102", "长安区", "county", "130100")
    city = f.department("市场监管局")
    root = f.account("root", ["sysadmin"], city.id)
    office = f.account("office", ["office"], city.id)
    db.session.commit()
    return {"city": city.id, "root": root, "office": office}


def _client(app, user):
    client = f.client(app)
    f.login_as(client, user)
    return client


@pytest.fixture
def admin(app, world):
    return _client(app, world["root"])


def _post(client, path: str, data: dict):
    return client.post(path, data={"csrf_token": f.csrf_token(client, "/admin/departments"), **data})


def _department(name: str) -> Department:
    db.session.expire_all()
    return db.session.execute(db.select(Department).filter_by(name=name)).scalar_one()


def test_departments__county_department_under_its_city_department(admin, world):
    resp = _post(
        admin,
        "/admin/departments/new",
        {
            "name": "长安区市场监管局",
            "short_name": "长安市监",
            "level": "county",
            "region_code": "130102",
            "parent_id": str(world["city"]),
        },
    )
    assert resp.status_code == 302
    dept = _department("长安区市场监管局")
    assert (dept.level, dept.region_code, dept.parent_id, dept.short_name) == (
        "county",
        "130102",
        world["city"],
        "长安市监",
    )
    page = admin.get("/admin/departments").get_data(as_text=True)
    assert "长安区市场监管局" in page and "县（区）级" in page


def test_departments__level_must_match_the_region(admin, world):
    resp = _post(
        admin, "/admin/departments/new", {"name": "错级部门", "level": "city", "region_code": "130102"}
    )
    assert "部门级别应与所在行政区划的级别一致" in resp.get_data(as_text=True)
    assert db.session.execute(db.select(Department).filter_by(name="错级部门")).first() is None


def test_departments__no_parent_loops(admin, world):
    child = f.department("长安区市场监管局", level="county", region_code="130102")
    child.parent_id = world["city"]
    db.session.commit()
    resp = _post(
        admin,
        f"/admin/departments/{world['city']}/edit",
        {"name": "市场监管局", "level": "city", "region_code": "130100", "parent_id": str(child.id)},
    )
    assert "上级部门不能是本部门或其下级部门" in resp.get_data(as_text=True)
    assert _department("市场监管局").parent_id is None


def test_departments__deactivate_and_reactivate(admin, world):
    _post(admin, f"/admin/departments/{world['city']}/deactivate", {})
    assert _department("市场监管局").active is False
    _post(admin, f"/admin/departments/{world['city']}/reactivate", {})
    assert _department("市场监管局").active is True


def test_departments__office_may_look_but_not_change(app, world):
    office = _client(app, world["office"])
    page = office.get("/admin/departments")
    assert page.status_code == 200 and "市场监管局" in page.get_data(as_text=True)
    assert "/admin/departments/new" not in page.get_data(as_text=True)
    assert office.get("/admin/departments/new").status_code == 403
    assert _post(office, f"/admin/departments/{world['city']}/deactivate", {}).status_code == 403
    assert _department("市场监管局").active is True
    assert office.get("/admin/users").status_code == 403


def test_regions__city_with_its_counties(admin, world):
    assert (
        _post(admin, "/admin/regions/new", {"code": "130200", "name": "唐山市", "level": "city"}).status_code
        == 302
    )
    resp = _post(
        admin,
        "/admin/regions/new",
        {"code": "130202", "name": "路南区", "level": "county", "parent_code": "130200"},
    )
    assert resp.status_code == 302
    assert db.session.get(Region, "130202").parent_code == "130200"
    page = admin.get("/admin/regions").get_data(as_text=True)
    # each city is followed by its own counties
    links = [page.index(f"/admin/regions/{code}/edit") for code in ("130100", "130102", "130200", "130202")]
    assert links == sorted(links)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "13010", "level": "city"}, "6位数字"),
        ({"code": "13A100", "level": "city"}, "6位数字"),
        ({"code": "130100", "level": "city"}, "已存在"),
        ({"code": "130105", "level": "city"}, "XXYY00"),
        ({"code": "130205", "level": "county", "parent_code": "130100"}, "前4位应与所属市的代码一致"),
        ({"code": "130105", "level": "county"}, "必须属于一个市"),
    ],
)
def test_regions__bad_codes_are_refused(admin, world, data, message):
    resp = _post(admin, "/admin/regions/new", {"name": "某地", **data})
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(Region)).scalar() == 2


def test_regions__rename_and_take_out_of_use(admin, world):
    resp = _post(admin, "/admin/regions/130102/edit", {"name": "长安区（新）", "parent_code": "130100"})
    assert resp.status_code == 302
    db.session.expire_all()
    region = db.session.get(Region, "130102")
    assert (region.name, region.active, region.code) == ("长安区（新）", False, "130102")
