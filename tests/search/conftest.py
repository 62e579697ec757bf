import pytest

from tests import html


@pytest.fixture
def found(client):
    """The headlines /search/ lists for a query string, in order."""

    def ask(**params):
        response = client.get("/search/", params)
        assert response.status_code == 200
        page = html.parse(response)
        return [html.text(h3) for h3 in html.find_all(page, "h3")]

    return ask
