"""The support inbox's permission given to the agents and the administrators by default (then
the administrators' data, issue 7, item 6), and a few canned answers from the plan's FAQ (seed
000) to start from; both languages."""

from django.db import migrations

from aftersales.accounts.roles import role_permissions_grant_defaults

DEFAULTS = {
    "agent": {"support": ("answer_ticket", "view", "add", "change")},
    "administrator": {"support": ("answer_ticket", "view", "add", "change", "delete")},
}

CANNED = [
    (
        "FAQ 9 · Renewing a plan",
        "No, a plan cannot be renewed after it expires: each device can only be bound to one plan.",
        "Non, vous ne pouvez pas. Pour l'instant, chaque appareil ne peut être relié qu'à un seul "
        "programme DJI Care Refresh. Il ne peut pas être renouvelé après expiration.",
    ),
    (
        "FAQ 12 · Where the serial number is",
        "For the Mavic line and the Spark, the aircraft's S/N is in the battery compartment. For "
        "the Mavic 2, the gimbal's serial number is on its axis. For the Inspire 2, on the "
        "aircraft's tail. For the Zenmuse X4S, X5S and X7, on the gimbal itself. For the Phantom "
        "4 Pro and Advanced, in the battery compartment. For the Phantom 3 SE, at the back of "
        "the aircraft; the gimbal's on its mounting plate.",
        "Pour la gamme Mavic et le Spark, le S/N de l'appareil se trouve dans le compartiment de "
        "la batterie. Pour le Mavic 2, le numéro de série de la nacelle se trouve sur l'axe de "
        "celle-ci. Pour l'Inspire 2, le S/N de l'appareil se trouve sur la queue de l'appareil. "
        "Pour les caméras nacelles Zenmuse X4S, X5S et X7, le S/N se trouve sur la nacelle "
        "elle-même. Pour la gamme Phantom 4 Pro et le Phantom 4 Advanced, le S/N de l'appareil "
        "se trouve dans le compartiment de la batterie. Pour le Phantom 3 SE, le S/N de "
        "l'appareil se trouve à l'arrière de l'appareil. Celui de la nacelle se trouve sur la "
        "plaque de fixation de la nacelle.",
    ),
    (
        "FAQ 10 · Replacing a device with the plan",
        "Send your device to the designated repair centre: our staff evaluate the damage and send "
        "you a quote. You can then have it repaired at the quoted price or replaced with your "
        "plan for the service fee of your contract. The new serial number is bound to your plan "
        "automatically.",
        "Envoyez votre appareil au centre de réparation DJI désigné. Notre personnel évaluera "
        "les dégâts et vous enverra un devis pour la réparation. Après avoir reçu le devis, vous "
        "pouvez choisir de faire réparer l'appareil au prix indiqué ou remplacer l'appareil avec "
        "DJI Care Refresh. Le numéro de série de remplacement sera automatiquement lié à votre "
        "programme DJI Care Refresh.",
    ),
]


def grant(apps, schema_editor):
    role_permissions_grant_defaults(apps, DEFAULTS)


def canned_answers(apps, schema_editor):
    model = apps.get_model("support", "CannedAnswer")
    for position, (title, body_en, body_fr) in enumerate(CANNED):
        model.objects.get_or_create(
            title=title, defaults={"body_en": body_en, "body_fr": body_fr, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_repair_centre_group"),
        ("support", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(canned_answers, migrations.RunPython.noop),
    ]
