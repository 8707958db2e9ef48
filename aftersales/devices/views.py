"""My products: the customer's devices, added by serial number."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.catalog.selectors import product_lines_with_models

from . import selectors, services
from .forms import DeviceClaimForm
from .models import Device


def _device_or_404(request: HttpRequest, serial_number: str) -> Device:
    try:
        return selectors.device_of(request.user, serial_number)
    except Device.DoesNotExist:
        raise Http404 from None


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "devices/device_list.html", {"devices": selectors.devices_of(request.user)}
    )


@login_required
def device_add(request: HttpRequest) -> HttpResponse:
    form = DeviceClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.device_claim(
                user=request.user, serial_number=form.cleaned_data["serial_number"]
            )
        except services.DeviceClaimError as error:
            form.add_error("serial_number", error.message)
        else:
            messages.success(
                request,
                _("%(model)s %(serial)s is now in your account.")
                % {"model": device.model.display_name, "serial": device.serial_number},
            )
            return redirect("devices:detail", serial_number=device.serial_number)
    return render(
        request,
        "devices/device_add.html",
        {"form": form, "product_lines": product_lines_with_models()},
    )


@login_required
def device_detail(request: HttpRequest, serial_number: str) -> HttpResponse:
    device = _device_or_404(request, serial_number)
    return render(
        request,
        "devices/device_detail.html",
        {
            "device": device,
            "components": device.model.components.all(),
            "component_serials": selectors.component_serials_of(device),
        },
    )


@login_required
@require_POST
def device_remove(request: HttpRequest, serial_number: str) -> HttpResponse:
    device = _device_or_404(request, serial_number)
    try:
        services.device_release(user=request.user, device=device)
    except Device.DoesNotExist:
        raise Http404 from None
    messages.success(
        request,
        _("%(model)s %(serial)s was removed from your account.")
        % {"model": device.model.display_name, "serial": device.serial_number},
    )
    return redirect("devices:list")
