from django.shortcuts import render

from grants import selectors


def start(request):
    """Show the start page: the open calls and how to apply."""
    return render(request, "grants/start.html", {"calls": selectors.calls_open()})


def accessibility(request):
    """Show the accessibility statement (lagen om tillgänglighet till digital offentlig service)."""
    return render(request, "accessibility.html")
