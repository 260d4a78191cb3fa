from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from paperfeed.accounts import views
from paperfeed.accounts.passwords import QueuedPasswordResetForm

# Our own template names: Django's admin and auth apps ship templates under registration/.
reset = {
    "template_name": "accounts/password_reset_form.html",
    "subject_template_name": "accounts/password_reset_subject.txt",
    "email_template_name": "accounts/password_reset_email.txt",
    "html_email_template_name": "accounts/password_reset_email.html",
    "form_class": QueuedPasswordResetForm,  # the mail goes through the outbox (accounts/passwords.py)
}

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(**reset), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name="accounts/password_reset_confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("accounts/tokens/", views.tokens, name="tokens"),
    path("library/", views.library, name="library"),
    re_path(r"^library/export\.(?P<fmt>bib|json)$", views.library_export, name="library-export"),
    path("library/import/", views.library_import, name="library-import"),
    path("library/save/<path:arxiv_id>/", views.library_save, name="library-save"),
]
