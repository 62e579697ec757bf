"""Outgoing webhooks: signed JSON POSTs that tell other systems what readers can now see.

`events` turns saves and status moves into deliveries after commit, `payloads` says what each
event carries, `addresses` decides where a webhook may go, `signing` signs a body, and
`delivery` sends one attempt from the worker and schedules the next.
"""
