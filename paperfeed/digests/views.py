"""Subscribe, confirm, manage and unsubscribe pages; every one but subscribe works from a signed link."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from paperfeed.digests import on_demand, subscriptions, tokens
from paperfeed.digests.forms import ProfileForm, SubscribeForm
from paperfeed.digests.models import Subscription
from paperfeed.lib.clients import client_address


def _subscription(token: str, purpose: str) -> Subscription:
    subscription = tokens.read_token(token, purpose)
    if subscription is None:
        raise Http404("this link is not valid (or has expired)")
    return subscription


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    initial = {"email": getattr(user, "email", "")}
    form = SubscribeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data["email"]
        subscriptions.subscribe(address, form.profile(), user, client_address(request))
        return render(request, "digests/check_inbox.html", {"email": address.strip().lower()})
    return render(request, "digests/subscribe.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners fetch links); POST confirms."""
    subscription = _subscription(token, tokens.CONFIRM)
    if request.method == "POST":
        subscriptions.confirm(subscription)
        manage = reverse("digests:manage", args=[tokens.make_token(subscription, tokens.MANAGE)])
        return HttpResponseRedirect(manage)
    return render(request, "digests/confirm.html", {"subscription": subscription})


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    subscription = _subscription(token, tokens.MANAGE)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(subscription))
    saved = False
    if request.method == "POST" and form.is_valid():
        subscriptions.update(subscription, form.profile())
        saved = True
    context = {
        "subscription": subscription,
        "form": form,
        "saved": saved,
        "unsubscribe_token": tokens.make_token(subscription, tokens.UNSUBSCRIBE),
        "token": token,
    }
    return render(request, "digests/manage.html", context, status=400 if form.errors else 200)


# The email's HTML as sent, framed by the preview page: its inline styles apply, nothing runs.
EMAIL_CSP = {
    **{name: ["'none'"] for name in ("default-src", "script-src", "connect-src", "font-src", "form-action")},
    "style-src": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "frame-ancestors": ["'self'"],
}


@require_GET
def preview(request: HttpRequest, token: str) -> HttpResponse:
    """The digest that would be sent now, as the email shows it; GET changes nothing."""
    subscription = _subscription(token, tokens.MANAGE)
    found = on_demand.preview_digest(subscription)
    context = {
        "subscription": subscription,
        "token": token,
        "subject": found.message.subject,
        "count": found.count,
        "empty_because": found.empty_because,  # "no papers matched between ... : the newest papers here are from ..."
    }
    return render(request, "digests/preview.html", context)


@require_GET
@xframe_options_sameorigin
@csp_replace(EMAIL_CSP)  # type: ignore[arg-type]  # django-csp types views as taking the request only
def preview_email(request: HttpRequest, token: str) -> HttpResponse:
    """The HTML part of that email, byte for byte (the preview page frames it)."""
    subscription = _subscription(token, tokens.MANAGE)
    return HttpResponse(on_demand.preview_digest(subscription).html, content_type="text/html; charset=utf-8")


@require_POST
def send_now(request: HttpRequest, token: str) -> HttpResponse:
    """Ask for the digest now: a Delivery for the worker to send (no SMTP in the request)."""
    subscription = _subscription(token, tokens.MANAGE)
    try:
        on_demand.request_digest_now(subscription)
    except on_demand.SendNowRefused as refused:
        context = {"subscription": subscription, "token": token, "refused": str(refused)}
        status = 409 if isinstance(refused, on_demand.NothingToSend) else 429
        return render(request, "digests/send_now.html", context, status=status)
    return render(request, "digests/send_now.html", {"subscription": subscription, "token": token})


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST (with the page's CSRF token) unsubscribes."""
    subscription = _subscription(token, tokens.UNSUBSCRIBE)
    if request.method == "POST":
        subscriptions.unsubscribe(subscription)
    return render(request, "digests/unsubscribe.html", {"subscription": subscription, "token": token})


@csrf_exempt  # RFC 8058: mail clients POST here without a form; the signed token is the authority
@require_http_methods(["GET", "POST"])
def one_click(request: HttpRequest, token: str) -> HttpResponse:
    subscription = _subscription(token, tokens.UNSUBSCRIBE)
    if request.method == "GET":  # a person opened the header's link: show the page with its button
        return HttpResponseRedirect(reverse("digests:unsubscribe", args=[token]))
    subscriptions.unsubscribe(subscription)
    return HttpResponse("unsubscribed\n", content_type="text/plain")
