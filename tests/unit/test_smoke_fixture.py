import pytest

from dutydesk.domain import audit


@pytest.mark.both_backends
def test_site_fixture_builds_a_site_with_an_intact_chain(site):
    assert site.staff["G01"].role == "guard"
    assert audit.verify_chain() == []
