"""AS-3: every criterion tells the assessor what to look for, in a few short points."""

import pytest

from portfolios.registry import frameworks, versions_of


@pytest.mark.parametrize("framework", [f.code for f in frameworks()])
def test_as3_every_criterion_has_two_to_six_short_indicators(framework):
    for version in versions_of(framework):
        assert version.criteria, version
        for criterion in version.criteria:
            assert 2 <= len(criterion.indicators) <= 6, criterion.key
            assert len(set(criterion.indicators)) == len(criterion.indicators), criterion.key
            for indicator in criterion.indicators:
                assert indicator.endswith(".") and len(indicator) <= 120, indicator


def test_as3_loopbaan_tasks_have_their_own_indicators():
    (version,) = versions_of("loopbaanprofessional-initial")
    tasks = [c for c in version.criteria if c.key.startswith("task_")]
    assert len(tasks) == 8
    assert len({c.indicators for c in tasks}) == 8
    competences = [c for c in version.criteria if c.key.startswith("competence_")]
    assert len({c.indicators for c in competences}) == len(competences) == 5
