"""The control room's exhibitor communication, mounted at /organizer/exhibitors/messages/."""

from django.urls import path

from exhibitors import organizer_messages_views as organizer_views

app_name = "organizer_exhibitor_messages"

urlpatterns = [path("", organizer_views.exhibitor_messages, name="index")]
