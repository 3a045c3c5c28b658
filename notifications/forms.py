from django import forms
from django.contrib.auth import get_user_model

from .models import ReminderSettings


class EmailModeForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["email_mode", "email"]
        widgets = {"email_mode": forms.RadioSelect}
        labels = {"email": "Địa chỉ thư điện tử"}


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = [
            "review_notice_days", "review_escalation_days", "term_rules_days", "consultation_notice_days",
            "stalled_stage_days",
        ]  # fmt: skip
