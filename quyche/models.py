"""What the apps' event logs share. Abstract only: quyche is not an app and owns no table."""

from django.conf import settings
from django.db import models


class TransitionRecord(models.Model):
    """One change of state: who did what, from which status to which, when, and what they wrote.

    Each concrete log redefines `action`, `from_status` and `to_status` with its own choices.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người thực hiện"
    )
    action = models.CharField("hành động", max_length=16)
    # Blank on the first record: the object did not exist before it.
    from_status = models.CharField("từ trạng thái", max_length=16, blank=True)
    to_status = models.CharField("sang trạng thái", max_length=16)
    comment = models.TextField("ý kiến", blank=True)
    at = models.DateTimeField("thời gian", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @property
    def changes_status(self) -> bool:
        """False for the first record and for a step that leaves the status as it was."""
        return bool(self.from_status) and self.from_status != self.to_status
