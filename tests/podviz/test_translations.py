"""Korean pages and catalogs: strings a visitor meets are translated, and 404 pages read plainly."""

from __future__ import annotations

import json
import re

import pytest

KOREAN = {"accept-language": "ko"}

pytestmark = pytest.mark.django_db


def test_a_wrong_join_code_is_explained_in_korean(client):
    response = client.get("/join", {"code": "ZZZZZ9"}, headers=KOREAN)
    assert response.status_code == 404
    page = response.content.decode()
    assert "이 코드의 수업 실행이 없습니다" in page
    assert "no class run has this code" not in page


def test_the_editor_s_login_notice_is_korean_and_links_the_login_page(client):
    page = client.get("/editor/", headers=KOREAN).content.decode()
    notice = re.search(r'<p id="login-notice"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert "누구나 여기서 시나리오를 검사하고 실행할 수 있습니다" in notice
    assert '<a href="/accounts/login/?next=/editor/">로그인</a>' in notice
    english = client.get("/editor/").content.decode()
    assert 'to save or import one, <a href="/accounts/login/?next=/editor/">log in</a>.' in english


def test_the_sweep_s_colour_options_are_korean(client):
    response = client.get(
        "/sweep/",
        {"scenario": "seed-story", "vary": "readinessProbe.periodSeconds=5"},
        headers=KOREAN,
    )
    assert response.status_code == 200
    metric = re.search(r'<fieldset class="metric".*?</fieldset>', response.content.decode(), re.S)
    assert "오류 %" in metric.group(0) and "error %" not in metric.group(0)


@pytest.mark.parametrize(
    ("headers", "plain"),
    [({}, "There is nothing at this address."), (KOREAN, "이 주소에는 아무것도 없습니다.")],
)
def test_an_unknown_address_is_a_plain_404_without_the_exception_s_name(client, headers, plain):
    response = client.get("/no/such/page", headers=headers)
    assert response.status_code == 404
    page = response.content.decode()
    assert plain in page
    assert "Resolver404" not in page
    assert 'href="/"' in page


def test_the_korean_js_catalog_has_one_form_for_answer_counts(client):
    page = client.get("/jsi18n/", headers=KOREAN).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", page, re.S).group(1))
    assert catalog["%(count)s answer"] == ["답변 %(count)s개"]
    assert catalog["%(answers)s guess. The run measured: %(measured)s"] == [
        "예측 %(answers)s개. 실행이 측정한 값: %(measured)s"
    ]
