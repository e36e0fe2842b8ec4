from django import forms

from coalition.coalitions.models import Coalition


class CoalitionForm(forms.ModelForm):
    class Meta:
        model = Coalition
        fields = ["name", "problem_statement", "common_purpose", "scope", "places", "phase", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "problem_statement": forms.Textarea(attrs={"rows": 3}),
            "common_purpose": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", forms.ValidationError("The end date must come after the start date."))
        return data
