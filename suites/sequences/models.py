from __future__ import annotations

from django.db import models


class Counter(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "sequences"
        managed = False
