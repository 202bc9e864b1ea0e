"""Content-Security-Policy: every page carries the header, and no page needs inline script or style.

The policy (kimportal/settings.py, CONTENT_SECURITY_POLICY) allows only the app's own files; a page
with a ``style="…"`` attribute, a ``<style>`` block, an inline ``<script>`` or an ``on…=`` handler would
lose that part in the browser. tests/browser/test_csp.py checks the same in Chromium.
"""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import log_in_as_admin
from .test_access import URLS, demo_users, site, url_for  # noqa: F401  (fixtures used by name)

ROLES = (None, "ki-rsk", "finanzen-rsk", "ausschuss-rsk", "ki-neuss")
PASSWORD = "kimportal-demo"
POLICY = {
    "default-src": "'none'", "script-src": "'self'", "style-src": "'self'", "frame-ancestors": "'none'",
    "form-action": "'self'", "base-uri": "'self'", "object-src": "'none'",
}


class InlineCode(HTMLParser):
    """Collects what a strict policy blocks: style attributes and blocks, inline scripts, event handlers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and not names.get("src"):
            self.found.append("<script> ohne src")
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            elif name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    """The inline style and script a page contains (empty when the page is fit for the policy)."""
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def policy(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in header.split(";") if part.strip())


def assert_strict(response, url):
    assert policy(response) | POLICY == policy(response), f"{url}: {response.headers.get('Content-Security-Policy')}"
    if response.headers.get("Content-Type", "").startswith("text/html"):
        found = inline_code(response.content.decode())
        assert not found, f"{url} ({response.status_code}): {found[:5]}"


def other_urls():
    """Pages without a parameter that the role × URL list leaves out (start page, login, account, health …)."""
    listed = {name for name, _ in URLS}
    found = []

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver) and p.namespace != "admin":
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.converters:
                name = f"{namespace}:{p.name}" if namespace else p.name
                if name not in listed:
                    found.append(reverse(name))

    walk(get_resolver().url_patterns)
    return found


def test_the_checker_finds_inline_code():
    html = ('<p style="color:red">x</p><style>p{}</style><script>alert(1)</script><script src="/a.js"></script>'
            '<button onclick="go()">y</button><a href="javascript:go()">z</a>')
    assert inline_code(html) == ['<p style="color:red">', "<style>", "<script> ohne src", "<button onclick=…>",
                                 "<a href=javascript:…>"]


def test_the_policy_is_strict():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for directive, value in POLICY.items():
        assert directives[directive] == [value]
    assert not any("unsafe" in source or source == "data:" for sources in directives.values() for source in sources)


@pytest.mark.parametrize("name, pattern", URLS, ids=[n for n, _ in URLS])
def test_every_page_carries_the_policy_for_every_role(client, demo_users, name, pattern):  # noqa: F811
    url = url_for(name, pattern)
    for role in ROLES:
        client.logout()
        if role:
            client.login(username=role, password=PASSWORD)
        response = client.get(url)
        assert_strict(response, f"{url} als {role or 'anonym'}")


def test_pages_outside_the_apps_carry_the_policy(client, demo_users):  # noqa: F811
    urls = other_urls()
    assert "/" in urls
    # "admin" without a second factor yet: the set-up page with its QR code (inline SVG) is checked too.
    for role in (None, "ki-rsk", "finanzen-rsk", "admin"):
        client.logout()
        if role:
            client.login(username=role, password=PASSWORD)
        for url in urls:
            assert_strict(client.get(url), url)
        assert_strict(client.get("/gibt-es-nicht/"), "404")


def test_exports_and_pdfs_carry_the_policy(client, demo_users):  # noqa: F811
    client.login(username="finanzen-rsk", password=PASSWORD)
    for url in (reverse("staffing:position_list") + "?_export=xlsx", reverse("reports:report_pdf", args=["ziele"])):
        response = client.get(url)
        assert response.status_code == 200
        assert_strict(response, url)


def admin_urls():
    """Index, and for every registered model its list, add form, first record's change form and history."""
    urls = [reverse("admin:index")]
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        if model._meta.app_label != "axes":  # django-axes' login records are written by logins only: no add form
            urls.append(reverse(f"{prefix}_add"))
        first = model.objects.order_by("pk").first()
        if first is not None:
            urls += [reverse(f"{prefix}_change", args=[first.pk]), reverse(f"{prefix}_history", args=[first.pk])]
    return urls


def test_the_admin_works_under_the_policy(client, demo_users):  # noqa: F811
    log_in_as_admin(client, password=PASSWORD)
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response, url)


def test_every_column_width_class_of_the_papers_is_defined():
    templates = Path(settings.BASE_DIR) / "templates" / "reports"
    used = set()
    for path in templates.rglob("*.html"):
        for value in re.findall(r'<col class="w-([^"]+)"', path.read_text()):
            # "w-{% if … %}34{% else %}43{% endif %}" stands for w-34 and w-43
            used |= set(re.findall(r"(?<![\w-])\d+(?:-\d+)?(?![\w-])", re.sub(r"\{%.*?%\}", " ", value)))
    css = (Path(settings.BASE_DIR) / "reports" / "static" / "reports" / "print.css").read_text()
    defined = set(re.findall(r"col\.w-(\d+(?:-\d+)?) \{", css))
    assert used and used <= defined, sorted(used - defined)
