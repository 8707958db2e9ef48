from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    # The guide's last page: the contact form (anyone), and what it offers as one types.
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
    path("contact/suggestions/", views.suggestions, name="suggestions"),
    # The private link of the confirmation e-mail: follow and answer without logging in.
    path("t/<str:token>/", views.follow, name="follow"),
    path("t/<str:token>/files/<str:file_token>/", views.follow_file, name="follow_file"),
    path("tickets/", views.my_tickets, name="my_tickets"),
    # The agents' inbox.
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/tickets/<str:number>/", views.ticket_detail, name="ticket"),
    path("inbox/tickets/<str:number>/<slug:action>/", views.ticket_action, name="action"),
    path("inbox/files/<str:token>/", views.staff_file, name="staff_file"),
]
