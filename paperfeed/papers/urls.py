from django.urls import path

from paperfeed.papers import views

urlpatterns = [
    path("", views.daily, name="daily"),
    path("day/<str:day>/", views.daily, name="daily-day"),
]
