"""Routes reached by a personal link rather than inside a coalition (survey respondents)."""

from django.urls import include, path

from coalition.network import survey_views

survey_patterns = [
    path("", survey_views.survey, name="survey"),
    path("consent/", survey_views.consent, name="consent"),
    path("decline/", survey_views.decline, name="decline"),
    path("answer/", survey_views.answer, name="answer"),
    path("add-actor/", survey_views.add_actor, name="add_actor"),
    path("withdraw/", survey_views.withdraw, name="withdraw"),
]

urlpatterns = [path("survey/<str:token>/", include((survey_patterns, "network_survey")))]
