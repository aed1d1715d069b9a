"""The UI speaks Chinese by default and English on request."""


def test_i18n__chinese_is_served_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert "登录" in page and 'lang="zh-CN"' in page


def test_i18n__english_is_available(client):
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert "Log in" in page and 'lang="en"' in page
