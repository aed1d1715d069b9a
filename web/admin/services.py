"""Changes to users, departments, regions and API tokens, shared by the admin pages and the API.

Each function validates with the rules of `engine.org`, raises `ValidationFailed` with Chinese
messages per field, and commits.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from adapters.db import db
from adapters.models import ApiToken, Department, Region, User
from adapters.queries import org as q
from engine.access import ROLES
from engine.errors import NotFound, ValidationFailed
from engine.org import (
    RegionRef,
    generate_password,
    parent_cycle,
    password_problems,
    region_problems,
    self_change_problems,
)
from web.auth import hash_password, hash_token, new_api_token

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NEEDS_DEPARTMENT = {"officer", "inspector"}
MAX_ID = 2**31 - 1


def _fail(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationFailed("提交的数据未通过校验", problems)


def find(model: type, key: Any):
    """The row with this primary key, or None; an integer outside the INTEGER range cannot be an
    id (and PostgreSQL would refuse the comparison), so it finds nothing instead of failing."""
    if key is None or (isinstance(key, int) and not 0 < key <= MAX_ID):
        return None
    return db.session.get(model, key)


def get_or_404(model: type, key: Any, what: str):
    row = find(model, key)
    if row is None:
        raise NotFound(f"未找到{what}")
    return row


# --- users -------------------------------------------------------------------------------


def create_user(data: dict, actor: User | None) -> tuple[User, str | None]:
    """A new user; when no password is given one is generated and returned (shown once)."""
    username = (data.get("username") or "").strip()
    problems = _user_problems(data, is_new=True)
    if not problems.get("username") and _username_taken(username):
        problems["username"] = "用户名已存在"
    generated = None
    password = data.get("password") or ""
    if not password:
        password = generated = generate_password()
    problems.update(password_problems(password))
    _fail(problems)
    user = User(username=username, display_name="", password_hash=hash_password(password))
    _apply_user(user, data)
    db.session.add(user)
    db.session.commit()
    return user, generated


def update_user(user: User, data: dict, actor: User) -> User:
    """Change profile, department, roles or active state (only the keys present in `data`)."""
    problems = _user_problems({**_user_values(user), **data}, is_new=False)
    roles = frozenset(data["roles"]) if "roles" in data else user.roles
    active = data.get("active", user.active)
    problems.update(self_change_problems(actor.id, user.id, active=active, roles=roles))
    if data.get("password"):
        problems.update(password_problems(data["password"]))
    _fail(problems)
    _apply_user(user, data)
    if data.get("password"):
        _set_password(user, data["password"])
    db.session.commit()
    return user


def set_user_active(user: User, active: bool, actor: User) -> User:
    _fail(self_change_problems(actor.id, user.id, active=active, roles=user.roles))
    user.active = active
    if active:
        user.failed_logins, user.locked_until = 0, None
    db.session.commit()
    return user


def reset_password(user: User, password: str | None) -> str | None:
    """Set the typed password, or generate one and return it (to be shown once)."""
    generated = None
    if not password:
        password = generated = generate_password()
    _fail(password_problems(password))
    _set_password(user, password)
    db.session.commit()
    return generated


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None


def _user_values(user: User) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "department_id": user.department_id,
        "roles": sorted(user.roles),
    }


def _user_problems(data: dict, is_new: bool) -> dict[str, str]:
    problems = {}
    if is_new and not USERNAME_RE.match((data.get("username") or "").strip()):
        problems["username"] = "用户名应为2—64位字母、数字或 _ . @ -"
    name = (data.get("display_name") or "").strip()
    if not name or len(name) > 64:
        problems["display_name"] = "请填写姓名（不超过64个字符）"
    email = (data.get("email") or "").strip()
    if email and (len(email) > 128 or not EMAIL_RE.match(email)):
        problems["email"] = "电子邮箱格式不正确"
    roles = set(data.get("roles") or [])
    if not roles:
        problems["roles"] = "请至少选择一个角色"
    elif roles - set(ROLES):
        problems["roles"] = "未知角色：" + "、".join(sorted(roles - set(ROLES)))
    problems.update(_department_ref_problems(data.get("department_id"), roles))
    return problems


def _department_ref_problems(department_id: int | None, roles: set[str]) -> dict[str, str]:
    if department_id is None:
        if roles & NEEDS_DEPARTMENT:
            return {"department_id": "部门人员和执法检查人员必须属于一个部门"}
        return {}
    dept = find(Department, department_id)
    if dept is None:
        return {"department_id": "部门不存在"}
    return {}


def _apply_user(user: User, data: dict) -> None:
    for key in ("display_name", "email"):
        if key in data:
            setattr(user, key, (data[key] or "").strip() or None)
    user.display_name = user.display_name or ""
    if "department_id" in data:
        user.department_id = data["department_id"]
    if "roles" in data:
        user.set_roles(data["roles"])
    if "active" in data:
        user.active = bool(data["active"])


def _username_taken(username: str) -> bool:
    stmt = select(func.count()).select_from(User).where(func.lower(User.username) == username.lower())
    return bool(db.session.scalar(stmt))


# --- departments -------------------------------------------------------------------------


def save_department(dept: Department | None, data: dict) -> Department:
    """Create (dept=None) or update a department."""
    merged = {**(_department_values(dept) if dept else {}), **data}
    problems = _department_problems(dept, merged)
    _fail(problems)
    if dept is None:
        dept = Department()
        db.session.add(dept)
    dept.name = merged["name"].strip()
    dept.short_name = (merged.get("short_name") or "").strip() or None
    dept.level = merged["level"]
    dept.region_code = merged["region_code"]
    dept.parent_id = merged.get("parent_id")
    if "active" in data:
        dept.active = bool(data["active"])
    db.session.commit()
    return dept


def set_department_active(dept: Department, active: bool) -> Department:
    dept.active = active
    db.session.commit()
    return dept


def _department_values(dept: Department) -> dict:
    return {
        "name": dept.name,
        "short_name": dept.short_name,
        "level": dept.level,
        "region_code": dept.region_code,
        "parent_id": dept.parent_id,
    }


def _department_problems(dept: Department | None, data: dict) -> dict[str, str]:
    problems = {}
    name = (data.get("name") or "").strip()
    if not name or len(name) > 64:
        problems["name"] = "请填写部门名称（不超过64个字符）"
    if len((data.get("short_name") or "").strip()) > 32:
        problems["short_name"] = "简称不超过32个字符"
    level = data.get("level")
    if level not in ("city", "county"):
        problems["level"] = "级别应为市或县（区）"
    region = db.session.get(Region, data.get("region_code") or "")
    if region is None:
        problems["region_code"] = "行政区划不存在"
    elif level in ("city", "county") and region.level != level:
        problems["region_code"] = "部门级别应与所在行政区划的级别一致"
    parent_id = data.get("parent_id")
    if parent_id is not None:
        if find(Department, parent_id) is None:
            problems["parent_id"] = "上级部门不存在"
        elif parent_cycle(dept.id if dept else None, parent_id, q.department_parents()):
            problems["parent_id"] = "上级部门不能是本部门或其下级部门"
    return problems


# --- regions -----------------------------------------------------------------------------


def create_region(data: dict) -> Region:
    code = (data.get("code") or "").strip()
    problems = _region_problems(code, data)
    if not problems.get("code") and db.session.get(Region, code) is not None:
        problems["code"] = "该行政区划代码已存在"
    _fail(problems)
    region = Region(code=code, level=data["level"], active=True)
    _apply_region(region, data)
    db.session.add(region)
    db.session.commit()
    return region


def update_region(region: Region, data: dict) -> Region:
    """Name, parent and active state; the code and level are the region's identity."""
    merged = {"name": region.name, "level": region.level, "parent_code": region.parent_code, **data}
    merged["level"] = region.level
    _fail(_region_problems(region.code, merged))
    _apply_region(region, merged)
    if "active" in data:
        region.active = bool(data["active"])
    db.session.commit()
    return region


def _region_problems(code: str, data: dict) -> dict[str, str]:
    problems = {}
    name = (data.get("name") or "").strip()
    if not name or len(name) > 64:
        problems["name"] = "请填写名称（不超过64个字符）"
    parent_code = data.get("parent_code") or None
    parent = db.session.get(Region, parent_code) if parent_code else None
    if parent_code and parent is None:
        problems["parent_code"] = "上级区划不存在"
    ref = RegionRef(parent.code, parent.level) if parent else None
    for field, message in region_problems(code, data.get("level") or "", ref).items():
        problems.setdefault(field, message)
    return problems


def _apply_region(region: Region, data: dict) -> None:
    region.name = data["name"].strip()
    region.parent_code = data.get("parent_code") or None


# --- API tokens --------------------------------------------------------------------------


def create_token(user_id: int | None, name: str, actor: User) -> tuple[ApiToken, str]:
    """A token for an active user; the plain token is returned once, only its hash is kept."""
    problems = {}
    user = find(User, user_id)
    if user is None:
        problems["user_id"] = "用户不存在"
    elif not user.active:
        problems["user_id"] = "不能为已停用的用户创建令牌"
    name = (name or "").strip()
    if not name or len(name) > 64:
        problems["name"] = "请填写令牌名称（不超过64个字符）"
    _fail(problems)
    plain = new_api_token(user, name, actor)
    db.session.flush()
    token = db.session.scalars(select(ApiToken).where(ApiToken.token_hash == hash_token(plain))).one()
    db.session.commit()
    return token, plain


def revoke_token(token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        db.session.commit()
    return token
