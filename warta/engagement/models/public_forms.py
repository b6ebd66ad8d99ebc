"""What the public forms (consultation input, PPID requests) keep to limit abuse."""

from django.db import models


class PublicFormHit(models.Model):
    """A submission on a public form, kept briefly to rate-limit per address and browser."""

    ip_address = models.GenericIPAddressField(null=True)
    # sha256 of the browser's random token (cookie), so one browser is counted on its own
    # while a whole neighbourhood behind one CGNAT address is not.
    browser = models.CharField(max_length=64, blank=True)
    text_key = models.CharField(max_length=64, blank=True)  # a repeat from one browser
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["ip_address", "at"]),
            models.Index(fields=["browser", "at"], name="engagement_hit_browser_at"),
        ]

    def __str__(self) -> str:
        return f"{self.ip_address} {self.at}"
