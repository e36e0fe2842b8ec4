from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from coalition.coalitions import actions
from coalition.coalitions.access import Access, coalition_view
from coalition.coalitions.forms import CoalitionForm


@login_required
def create(request: HttpRequest) -> HttpResponse:
    form = CoalitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        coalition = actions.do_create_coalition(request.user, **form.cleaned_data)
        return redirect("coalitions:overview", coalition.pk)
    return render(request, "coalitions/create.html", {"form": form})


@coalition_view()
def overview(request: HttpRequest, access: Access) -> HttpResponse:
    coalition = access.coalition
    return render(
        request,
        "coalitions/overview.html",
        {"coalition": coalition, "member_count": coalition.memberships.filter(is_active=True).count()},
    )
