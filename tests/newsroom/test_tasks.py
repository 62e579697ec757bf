"""Background jobs: queued after commit, run by the worker against the database."""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from newsroom import tasks

pytestmark = pytest.mark.django_db


def test_an_email_queued_in_a_save_is_sent_by_the_worker_after_commit(
    run_worker, django_capture_on_commit_callbacks, settings
):
    settings.DEFAULT_FROM_EMAIL = "desk@newsroom.example"
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_email(
            subject="Your article was published",
            body="“Kyiv metro reopens” is on the site.",
            to=["writer@newsroom.example"],
            html_body="<p><b>Kyiv metro reopens</b> is on the site.</p>",
        )
        assert not DBTaskResult.objects.exists()
    assert mail.outbox == []

    run_worker()

    [message] = mail.outbox
    assert message.subject == "Your article was published"
    assert message.to == ["writer@newsroom.example"]
    assert message.from_email == "desk@newsroom.example"
    assert message.body == "“Kyiv metro reopens” is on the site."
    assert message.alternatives[0][1] == "text/html"
    assert DBTaskResult.objects.get().return_value == 1


def test_an_email_queued_in_a_rolled_back_transaction_is_never_sent(run_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.send_email(subject="Hi", body="Never", to=["writer@newsroom.example"])
        raise RuntimeError
    run_worker()
    assert mail.outbox == []
    assert not DBTaskResult.objects.exists()
