from django.urls import path

from paperfeed.ops import views

urlpatterns = [path("healthz", views.healthz, name="healthz")]
