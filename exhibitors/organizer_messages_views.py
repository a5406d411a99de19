"""The control room's exhibitor communication, /organizer/exhibitors/messages/ (organizers
only): choose the exhibitors (fair, area, state, without staff), preview how many get the
message, send it (``exhibitors.services.messages``), and see what was sent."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from exhibitors.exceptions import MessageRefused
from exhibitors.message_selectors import exhibitor_messages_sent, exhibitors_for_message
from exhibitors.organizer_messages_forms import ExhibitorMessageForm
from exhibitors.services.messages import exhibitor_message_send
from fair.access import organizer_required
from fair.forum.organizer_views import organizer_fair

PREVIEW_NAMES = 20


@organizer_required
def exhibitor_messages(request: HttpRequest) -> HttpResponse:
    preview = None
    if request.method == "POST":
        form = ExhibitorMessageForm(request.POST)
        if form.is_valid():
            selection = form.selection()
            recipients = exhibitors_for_message(selection=selection)
            previewed = form.cleaned_data["previewed"] == form.selection_key()
            if (
                "send" in request.POST
                and previewed
                and form.cleaned_data["expected_count"] is not None
            ):
                try:
                    sent = exhibitor_message_send(
                        selection=selection,
                        texts=form.texts(),
                        actor=request.user,  # type: ignore[arg-type]
                        expected_count=form.cleaned_data["expected_count"],
                    )
                except MessageRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(
                        request,
                        ngettext(
                            "The message is on its way to %(count)d exhibitor.",
                            "The message is on its way to %(count)d exhibitors.",
                            sent.recipient_count,
                        )
                        % {"count": sent.recipient_count},
                    )
                    return redirect("organizer_exhibitor_messages:index")
            count = recipients.count()
            languages = dict.fromkeys(("de", "en"), 0)
            for language in recipients.values_list("language", flat=True):
                languages[language] = languages.get(language, 0) + 1
            preview = {
                "count": count,
                "languages": languages,
                "names": list(recipients.values_list("company_name", flat=True)[:PREVIEW_NAMES]),
                "more": max(0, count - PREVIEW_NAMES),
            }
            data = request.POST.copy()
            data["expected_count"] = str(count)
            data["previewed"] = form.selection_key()
            form.data = data
    else:
        form = ExhibitorMessageForm(initial={"fair": organizer_fair(request)})
    page = Paginator(exhibitor_messages_sent(), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "exhibitors/organizer/messages.html",
        {"form": form, "preview": preview, "page": page},
    )
