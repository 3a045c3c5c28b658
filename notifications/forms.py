from django import forms
from django.contrib.auth import get_user_model

from .models import ReminderSettings
from .services import REMINDER_THRESHOLDS


class EmailModeForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["email_mode", "email"]
        widgets = {"email_mode": forms.RadioSelect}
        labels = {"email": "Địa chỉ thư điện tử"}


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = REMINDER_THRESHOLDS
