from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from feed.models import FeedRemoval

pytestmark = pytest.mark.django_db


def test_prune_forgets_only_removals_older_than_the_days_given(capsys):
    FeedRemoval.objects.create(item_id=1, removed_at=timezone.now() - timedelta(days=8))
    FeedRemoval.objects.create(item_id=2, removed_at=timezone.now() - timedelta(days=6))
    call_command("prune_feed_removals", "--days", "7")
    assert list(FeedRemoval.objects.values_list("item_id", flat=True)) == [2]
    assert "Forgot 1 feed removal(s)" in capsys.readouterr().out


def test_prune_refuses_zero_days():
    with pytest.raises(CommandError, match="--days must be 1 or more"):
        call_command("prune_feed_removals", "--days", "0")
