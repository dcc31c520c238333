"""sources.http: pacing on the clock, retries, deadlines, bounded answers, the disk cache, secrets kept."""

from __future__ import annotations

import socket

import pytest

from syndata_export.errors import UsageError
from syndata_export.sources import NotFound, SourceError, arxiv, crossref, datacite
from syndata_export.sources.http import SOURCES, Http, base_url
from tests.sources.fakes import server

SECRET = "s2-SECRET-key-0123456789"
TAN = "10.18653/v1/2024.emnlp-main.54"


@pytest.fixture
def http(fake_sources, clock):
    fake_sources.clock = clock  # the log's times are the client's
    waits = []
    with Http(clock=clock, sleep=clock.sleep, on_wait=lambda s, why: waits.append((s, why))) as client:
        client.waits = waits
        yield client


def times(fake, source):
    return [r.at for r in fake.requests(source)]


def gaps(values):
    return [b - a for a, b in zip(values, values[1:], strict=False)]


def test_arxiv_requests_are_three_seconds_apart_on_the_clock(fake_sources, http):
    for arxiv_id in ("2402.13446", "2406.18966", "2410.06961"):
        arxiv.fetch(http, [arxiv_id])
    assert gaps(times(fake_sources, "arxiv")) == [3.0, 3.0]
    assert [why for _, why in http.waits] == ["at most one request every 3 s"] * 2


def test_each_source_keeps_its_own_pace(fake_sources, http):
    arxiv.fetch(http, ["2402.13446"])
    crossref.fetch(http, TAN)  # not held back by arXiv's 3 s
    crossref.fetch(http, "10.1609/aaai.v39i23.34602")
    assert gaps(times(fake_sources, "crossref")) == [pytest.approx(SOURCES["crossref"].interval)]
    assert times(fake_sources, "crossref")[0] == times(fake_sources, "arxiv")[0]


def test_retry_after_on_429_is_waited_then_the_request_succeeds(fake_sources, http, clock):
    fake_sources.fail("429", "arxiv", times=2, retry_after="7")
    assert "2402.13446" in arxiv.fetch(http, ["2402.13446"])
    assert gaps(times(fake_sources, "arxiv")) == [7.0, 7.0]
    assert all("Retry-After on 429" in why for _, why in http.waits)


def test_503_without_retry_after_backs_off_doubling(fake_sources, http, clock):
    fake_sources.fail("503", "crossref", times=3)
    assert crossref.fetch(http, TAN).fields["doi"] == TAN
    assert gaps(times(fake_sources, "crossref")) == [2.0, 4.0, 8.0]


def test_a_5xx_that_outlasts_the_retries_names_the_source_and_the_reason(fake_sources, http):
    fake_sources.fail("503", "crossref", times=100, retry_after="1")
    with pytest.raises(SourceError) as caught:
        crossref.fetch(http, TAN)
    message = str(caught.value)
    assert message.startswith("crossref: GET http://127.0.0.1:")
    assert "still answered 503 after 6 retries" in message and "SYNDATA_CROSSREF_URL" in message
    assert "Zotero" not in message
    assert len(fake_sources.requests("crossref")) == 7


def test_a_500_is_not_retried(fake_sources, http):
    fake_sources.fail("500", "arxiv")
    with pytest.raises(SourceError, match=r"^arxiv: http://127\.0\.0\.1:\d+/arxiv/query answered 500"):
        arxiv.fetch(http, ["2402.13446"])
    assert len(fake_sources.requests("arxiv")) == 1


def test_a_dropped_read_is_sent_again(fake_sources, http):
    fake_sources.fail("drop", "datacite")
    assert datacite.fetch(http, "10.48550/arXiv.2402.13446").fields["arxiv"] == "2402.13446"
    assert len(fake_sources.requests("datacite")) == 2


def test_a_hanging_service_meets_the_request_deadline(fake_sources, clock):
    fake_sources.fail("hang", "arxiv", times=2)
    with Http(clock=clock, sleep=clock.sleep, deadline=0.3) as http, pytest.raises(SourceError) as caught:
        arxiv.fetch(http, ["2402.13446"])
    assert str(caught.value).startswith("arxiv: ")
    assert "no complete response within 0.3 s" in str(caught.value)


def test_network_down_is_a_source_error(fake_sources, clock, monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("SYNDATA_ARXIV_URL", f"http://127.0.0.1:{port}/arxiv")
    with Http(clock=clock, sleep=clock.sleep) as http, pytest.raises(SourceError) as caught:
        arxiv.fetch(http, ["2402.13446"])
    assert str(caught.value).startswith(f"arxiv: cannot reach http://127.0.0.1:{port}/arxiv/query: ConnectError")


@pytest.mark.parametrize(
    ("source", "fetch"),
    [("arxiv", lambda h: arxiv.fetch(h, ["2402.13446"])), ("crossref", lambda h: crossref.fetch(h, TAN))],
)
def test_a_malformed_answer_is_a_source_error(fake_sources, http, source, fetch):
    fake_sources.fail("malformed", source)
    with pytest.raises(SourceError, match=rf"^{source}: (malformed answer|the answer is not valid JSON)"):
        fetch(http)


def test_an_oversized_answer_is_refused_unread(fake_sources, http):
    fake_sources.fail("bomb", "crossref")
    with pytest.raises(SourceError, match=r"^crossref: .* answered more than 33,554,432 bytes"):
        crossref.fetch(http, TAN)


# -- the cache --------------------------------------------------------------------------------------


def test_answers_are_cached_under_syndata_cache_dir(fake_sources, clock, tmp_path):
    with Http(clock=clock, sleep=clock.sleep) as http:
        first = crossref.fetch(http, TAN)
    assert (tmp_path / "cache" / "http.sqlite").is_file()
    with Http(clock=clock, sleep=clock.sleep) as http:
        assert crossref.fetch(http, TAN) == first
    assert len(fake_sources.requests("crossref")) == 1


def test_offline_answers_from_the_cache_only(fake_sources, clock):
    with Http(clock=clock, sleep=clock.sleep) as http:
        crossref.fetch(http, TAN)
    with Http(offline=True, clock=clock, sleep=clock.sleep) as http:
        assert crossref.fetch(http, TAN).fields["doi"] == TAN
        with pytest.raises(SourceError) as caught:
            crossref.fetch(http, "10.1609/aaai.v39i23.34602")
    assert str(caught.value) == (
        f"crossref: {base_url('crossref')}/works/10.1609/aaai.v39i23.34602 is not in the cache (--offline)"
        " (run once without --offline to fetch it)"
    )
    assert len(fake_sources.requests("crossref")) == 1


def test_refresh_asks_again_and_keeps_the_new_answer(fake_sources, clock):
    with Http(clock=clock, sleep=clock.sleep) as http:
        crossref.fetch(http, TAN)
    with Http(refresh=True, clock=clock, sleep=clock.sleep) as http:
        crossref.fetch(http, TAN)
    assert len(fake_sources.requests("crossref")) == 2
    with Http(offline=True, clock=clock, sleep=clock.sleep) as http:
        assert crossref.fetch(http, TAN).fields["doi"] == TAN


def test_not_found_is_not_cached(fake_sources, http):
    for _ in range(2):
        with pytest.raises(NotFound):
            crossref.fetch(http, "10.1000/none")
    assert len(fake_sources.requests("crossref")) == 2


def test_offline_and_refresh_together_are_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="contradict"):
        Http(offline=True, refresh=True, cache_dir=tmp_path)


# -- politeness and secrets ---------------------------------------------------------------------------


def test_the_semantic_scholar_key_is_sent_but_never_shown_nor_stored(fake_sources, clock, monkeypatch, tmp_path):
    monkeypatch.setenv("SEMANTIC_SCHOLAR_API_KEY", SECRET)
    monkeypatch.setitem(server.HANDLERS, "semanticscholar", lambda path, query: (200, "application/json", b"{}"))
    url = f"{base_url('semanticscholar')}/paper/ARXIV:2402.13446"
    with Http(clock=clock, sleep=clock.sleep) as http:
        assert http.get("semanticscholar", url, params={"fields": "title"}).json() == {}
        fake_sources.fail("503", "semanticscholar", times=100)
        with pytest.raises(SourceError) as caught:
            http.get("semanticscholar", url + "x")
    assert fake_sources.requests("semanticscholar")[0].headers["x-api-key"] == SECRET
    assert SECRET not in str(caught.value)
    stored = b"".join(p.read_bytes() for p in (tmp_path / "cache").iterdir())
    assert b"ARXIV:2402.13446" in stored and SECRET.encode() not in stored


def test_no_key_is_sent_without_the_variable(fake_sources, http):
    with pytest.raises(NotFound):
        http.get("semanticscholar", f"{base_url('semanticscholar')}/paper/x")
    assert "x-api-key" not in fake_sources.requests("semanticscholar")[0].headers


def test_crossref_gets_a_mailto_only_when_the_user_gives_one(fake_sources, clock, monkeypatch):
    with Http(clock=clock, sleep=clock.sleep) as http:
        crossref.fetch(http, TAN)
    monkeypatch.setenv("SYNDATA_MAILTO", "curator@example.org")
    with Http(refresh=True, clock=clock, sleep=clock.sleep) as http:
        crossref.fetch(http, TAN)
        arxiv.fetch(http, ["2402.13446"])
    plain, polite = fake_sources.requests("crossref")
    assert "mailto" not in plain.query and "mailto" not in plain.headers["user-agent"]
    assert polite.query["mailto"] == "curator@example.org"
    assert polite.headers["user-agent"].endswith("(mailto:curator@example.org)")
    assert "mailto" not in fake_sources.requests("arxiv")[0].query


def test_base_urls_default_to_the_public_services(monkeypatch):
    for source in SOURCES:
        monkeypatch.delenv(f"SYNDATA_{source.upper()}_URL", raising=False)
    assert base_url("arxiv") == "https://export.arxiv.org/api"
    assert base_url("semanticscholar") == "https://api.semanticscholar.org/graph/v1"
    monkeypatch.setenv("SYNDATA_DBLP_URL", "http://127.0.0.1:9/dblp/")
    assert base_url("dblp") == "http://127.0.0.1:9/dblp"
    with pytest.raises(ValueError, match="known: arxiv, crossref"):
        base_url("scholar")
