from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import capfirst

from .models import ReminderSettings
from .services import REMINDER_THRESHOLDS


class EmailModeForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["email_mode", "email"]
        widgets = {"email_mode": forms.RadioSelect}
        labels = {"email": "Địa chỉ thư điện tử"}


# A threshold is a number of days, a year at most: the scan counts back from today by it.
THRESHOLD_MAX_DAYS = 365
# Thresholds that the database requires to be at least one day (CheckConstraint).
AT_LEAST_ONE_DAY = {"term_rules_days", "stalled_stage_days"}


def _days(model_field, **kwargs):
    label = capfirst(model_field.verbose_name)
    messages = {
        "invalid": f"{label}: cần nhập một số ngày.",
        "min_value": f"{label}: ít nhất %(limit_value)s ngày.",
        "max_value": f"{label}: tối đa %(limit_value)s ngày.",
    }
    min_value = 1 if model_field.name in AT_LEAST_ONE_DAY else 0
    return model_field.formfield(min_value=min_value, max_value=THRESHOLD_MAX_DAYS, error_messages=messages, **kwargs)


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = REMINDER_THRESHOLDS
        formfield_callback = _days
