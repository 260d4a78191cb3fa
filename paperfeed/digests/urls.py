from django.urls import path

from paperfeed.digests import views

app_name = "digests"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscribe/manage/<str:token>/", views.manage, name="manage"),
    path("subscribe/manage/<str:token>/preview/", views.preview, name="preview"),
    path("subscribe/manage/<str:token>/preview/email/", views.preview_email, name="preview-email"),
    path("subscribe/manage/<str:token>/send-now/", views.send_now, name="send-now"),
    path("subscribe/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscribe/one-click/<str:token>/", views.one_click, name="one-click"),
]
