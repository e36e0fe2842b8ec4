from django.urls import path

from coalition.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.recent, name="recent"),
    path("choices/", views.choices, name="choices"),
    path("<int:notification_id>/open/", views.open_notification, name="open"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
