import pytest

from web.settings import ConfigurationError, load_settings


def test_settings__production_refuses_to_start_without_secret_key():
    with pytest.raises(ConfigurationError):
        load_settings({"LIANCHA_ENV": "production"})


def test_settings__defaults_are_embedded_sqlite_and_inline_jobs(tmp_path):
    s = load_settings({"LIANCHA_INSTANCE_DIR": str(tmp_path)})
    assert s.database_url == f"sqlite:///{tmp_path / 'liancha.db'}"
    assert s.redis_url is None
    assert s.default_locale == "zh_CN"
    assert not s.session_cookie_secure


def test_settings__production_cookies_are_secure_by_default():
    s = load_settings({"LIANCHA_ENV": "production", "SECRET_KEY": "x" * 32})
    assert s.session_cookie_secure and s.is_production


def test_settings__every_variable_is_documented_in_the_readme():
    import re
    from pathlib import Path

    source = Path(__file__).resolve().parents[2] / "web" / "settings.py"
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    names = set(re.findall(r'env(?:\.get)?\(\s*"([A-Z_]+)"', source.read_text(encoding="utf-8")))
    assert names, "no settings found"
    missing = sorted(n for n in names if f"`{n}`" not in readme)
    assert not missing, f"undocumented settings: {missing}"
