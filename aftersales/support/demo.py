"""The support demo (`manage.py load_demo`, issue 10): two tickets made through the real
services — a French customer's contact form answered by the demo agent, and an e-mail that
matched no ticket, waiting in "to sort". A ticket is found again by its subject and address:
loading twice makes nothing the second time."""

from __future__ import annotations

from email.message import EmailMessage

from aftersales.accounts.models import User
from aftersales.catalog.models import ProductModel

from .inbound import message_receive
from .models import Ticket
from .services import ticket_note_add, ticket_open, ticket_reply_by_agent

AGENT = "agent@example.com"
CUSTOMER = "client@example.com"
FORM_SUBJECT = "La demande de réparation en ligne ne passe pas"
LOOSE_SUBJECT = "Question sur ma commande"


def load_support_demo(created: dict[str, int]) -> list[str]:
    """Makes the demo tickets that are missing (counted in `created["tickets"]`); returns the
    numbers of the demo tickets."""
    agent = User.objects.filter(email=AGENT).first()
    customer = User.objects.filter(email=CUSTOMER).first()
    model = ProductModel.objects.filter(is_active=True).order_by("pk").first()
    if agent is None or customer is None:
        return []
    numbers = []
    ticket = Ticket.objects.filter(email=CUSTOMER, subject=FORM_SUBJECT).first()
    if ticket is None:
        ticket = ticket_open(
            data={
                "product_model": model,
                "full_name": customer.get_full_name(),
                "continent": "europe",
                "country": "FR",
                "email": customer.email,
                "problem_type": "repair",
                "reseller_name": "Boutique Drone Lyon",
                "subject": FORM_SUBJECT,
                "description": "À l'étape « Produit », mon numéro de série n'est pas reconnu.",
            },
            user=customer,
            language="fr",
        )
        ticket_note_add(ticket=ticket, by=agent, body="Numéro de série à vérifier dans l'import.")
        ticket_reply_by_agent(
            ticket=ticket,
            by=agent,
            body="Bonjour, pouvez-vous nous envoyer une photo de l'étiquette du numéro de série ?",
        )
        created["tickets"] = created.get("tickets", 0) + 1
    numbers.append(ticket.number)
    loose = Ticket.objects.filter(email="visitor@example.com", subject=LOOSE_SUBJECT).first()
    if loose is None:
        message = EmailMessage()
        message["From"] = "Visitor <visitor@example.com>"
        message["To"] = "support@aftersales.localhost"
        message["Subject"] = LOOSE_SUBJECT
        message["Message-ID"] = "<demo-loose-1@example.com>"
        message.set_content("Hello, when will my order ship?")
        loose = message_receive(message.as_bytes()).ticket
        created["tickets"] = created.get("tickets", 0) + 1
    numbers.append(loose.number)
    return numbers
