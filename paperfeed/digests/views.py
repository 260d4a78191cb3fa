"""Subscribe, confirm, manage and unsubscribe pages; every one but subscribe works from a signed link."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from paperfeed.digests import email, subscriptions, tokens
from paperfeed.digests.forms import ProfileForm, SubscribeForm
from paperfeed.digests.models import Subscription


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
        try:
            subscription = subscriptions.subscribe(form.cleaned_data["email"], form.profile(), user)
        except (email.TransientError, email.PermanentError) as error:
            form.add_error(None, f"The confirmation email could not be sent ({error}); please try again later.")
        else:
            return render(request, "digests/check_inbox.html", {"subscription": subscription})
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
    }
    return render(request, "digests/manage.html", context, status=400 if form.errors else 200)


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
