"""The answers of the online repair request, in the order and words of the Guide RMA (seed 001).
English labels here; the French of the guide is in locale/fr."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.core.i18n import branded


class RequestStatus(models.TextChoices):
    """A request's status: a draft, then a case moving through the workshop. The moves between
    them, and who may make each, are in `lifecycle.MOVES` (the one place); the labels are the
    customer's words, which staff read too."""

    DRAFT = "draft", _("Draft")
    # Guide: « Veillez ensuite envoyer votre produit à temps ».
    SUBMITTED = "submitted", _("Submitted: waiting for your parcel")
    RECEIVED = "received", _("Parcel received at the workshop")
    EVALUATING = "evaluating", _("Being evaluated")
    # FAQ 3, 10: « … vous enverra un devis une fois l'évaluation des dommages terminée ».
    QUOTED = "quoted", _("Quote sent: waiting for your answer")
    AWAITING_PAYMENT = "awaiting_payment", _("Waiting for your payment")
    REPAIRING = "repairing", _("Being repaired")
    REPLACING = "replacing", _("Being replaced under your plan")
    RETURNING_UNREPAIRED = "returning_unrepaired", _("Being sent back unrepaired")
    QUALITY_CHECK = "quality_check", _("Final checks")
    READY_TO_SHIP = "ready_to_ship", _("Ready to be shipped back")
    SHIPPED = "shipped", _("Shipped back")
    CLOSED = "closed", _("Closed")
    ON_HOLD = "on_hold", _("On hold")
    CANCELLED = "cancelled", _("Cancelled")
    # Express (seed 001): the replacement ships first, then the damaged unit comes back.
    EXPRESS_SHIPPED = "express_shipped", _("Replacement shipped: waiting for your damaged unit")
    EXPRESS_RETURNED = "express_returned", _("Damaged unit received: being checked")


class HoldReason(models.TextChoices):
    WAITING_FOR_PARTS = "parts", _("Waiting for parts")
    WAITING_FOR_CUSTOMER = "customer", _("Waiting for your answer")
    OTHER = "other", pgettext_lazy("hold reason", "Other")


class ActorKind(models.TextChoices):
    """Who made a move of the timeline."""

    CUSTOMER = "customer", _("Customer")
    STAFF = "staff", _("Staff")
    SYSTEM = "system", _("System")


class EventKind(models.TextChoices):
    STATUS = "status", _("Status changed")
    NOTE = "note", _("Note")
    QUOTE = "quote", _("Quote")
    PAYMENT = "payment", _("Payment")


class ReceivedContents(models.TextChoices):
    """What reception found in the parcel, against what the customer said (guide, step 7)."""

    DEFECTIVE_COMPONENT = "component", _("Defective component")
    COMPLETE_SET = "complete_set", _("Complete product set")
    NOTHING_USABLE = "nothing", _("No product in the parcel")


class UnexpectedItem(models.TextChoices):
    """Guide, step 7, « Veuillez NE PAS nous envoyer » — found in the parcel all the same."""

    WORKING_BATTERY = "working_battery", _("A battery that works normally")
    DAMAGED_BATTERY = "damaged_battery", _("A badly damaged battery")
    OTHER_BRAND = "other_brand", _("Products of another brand")
    INTACT_PROPELLERS = "intact_propellers", _("Intact propellers")
    SD_CARD = "sd_card", _("An SD card that works normally")


class EvaluatedCause(models.TextChoices):
    """The cause of the damage as the technician found it (not the customer's view)."""

    MANUFACTURING_DEFECT = "manufacturing_defect", _("Manufacturing defect")
    ACCIDENT = "accident", _("Accident")
    WATER = "water", _("Water damage")
    WEAR = "wear", _("Wear and tear")
    OTHER = "other", pgettext_lazy("evaluated cause", "Other")


class Liability(models.TextChoices):
    PRODUCT = "product", _("Product")
    USER = "user", _("User")
    UNDETERMINED = "undetermined", _("Undetermined")
    # FAQ 3: « Si vous sélectionnez l'option Express, la responsabilité relative aux dommages
    # ne sera pas évaluée ».
    NOT_ASSESSED = "not_assessed", _("Not assessed (Express)")


class QuoteOption(models.TextChoices):
    """What a customer may answer to a quote (FAQ 10: « … faire réparer l'appareil au prix
    indiqué ou remplacer l'appareil avec DJI Care Refresh »; guide: the evaluation fee)."""

    REPAIR = "repair", _("Pay the repair at the quoted price")
    PLAN_REPLACEMENT = "plan_replacement", _("Use a replacement of my plan for its fee")
    REFUSE = "refuse", _("Refuse the repair and pay the evaluation fee")


class QuoteLineKind(models.TextChoices):
    PART = "part", _("Part")
    LABOUR = "labour", _("Labour")


class PaymentPurpose(models.TextChoices):
    REPAIR = "repair", _("Repair at the quoted price")
    PLAN_FEE = "plan_fee", _("Plan replacement fee")
    EVALUATION_FEE = "evaluation_fee", _("Evaluation fee")
    EXPRESS_FEE = "express_fee", _("Express fee")
    # Express: the damaged unit did not come back in time, or came back another or incomplete.
    EXPRESS_CHARGE = "express_charge", _("Express: difference charged")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    COUNTER = "counter", _("At the counter")
    CARD = "card", _("Card")
    # Paid on an online provider's page (Stripe Checkout), confirmed by its notification.
    ONLINE = "online", _("Online payment")
    OTHER = "other", pgettext_lazy("payment method", "Other")


class ReplacementKind(models.TextChoices):
    UNIT = "unit", _("The whole unit")
    COMPONENT = "component", _("A component")


class ServiceType(models.TextChoices):
    # Guide, step 5: « Réparation – Intervention DJI Care » (the brand comes from settings).
    REPAIR = "repair", branded(_("Repair – %(brand)s Care service"))
    # « Remplacement »: a product found defective on unpacking; handled by support by e-mail.
    REPLACEMENT = "replacement", _("Replacement")


class Problem(models.TextChoices):
    """Guide, steps 5 and 6: « Quel est le problème rencontré avec votre produit ? »"""

    # Problème matériel
    WATER_DAMAGE = "water_damage", _("Water damage")
    GIMBAL_CAMERA = "gimbal_camera", _("Gimbal and camera malfunction")
    REMOTE_CONTROLLER = "remote_controller", _("Remote controller error")
    SCRATCHES_CRACKS = "scratches_cracks", _("Scratches or cracks")
    BATTERY = "battery", _("Battery malfunction")
    VISION_SENSORS = "vision_sensors", _("Infrared and downward sensing system error")
    COMPASS_IMU = "compass_imu", _("Compass or IMU malfunction")
    PROPULSION = "propulsion", _("Propulsion error")
    ACCIDENT_DAMAGE = "accident_damage", _("Accident damage")
    # Logiciels et autres
    FIRMWARE_UPDATE = "firmware_update", _("Firmware update failure")
    ACCESSORY = "accessory", _("Accessory malfunction")
    ACTIVATION = "activation", _("Activation failure")
    INTELLIGENT_FLIGHT_MODE = "intelligent_flight_mode", _("Intelligent flight mode error")
    OTHER = "other", _("Other questions")


HARDWARE_PROBLEMS = [
    Problem.WATER_DAMAGE,
    Problem.GIMBAL_CAMERA,
    Problem.REMOTE_CONTROLLER,
    Problem.SCRATCHES_CRACKS,
    Problem.BATTERY,
    Problem.VISION_SENSORS,
    Problem.COMPASS_IMU,
    Problem.PROPULSION,
    Problem.ACCIDENT_DAMAGE,
]
SOFTWARE_PROBLEMS = [
    Problem.FIRMWARE_UPDATE,
    Problem.ACCESSORY,
    Problem.ACTIVATION,
    Problem.INTELLIGENT_FLIGHT_MODE,
    Problem.OTHER,
]


class PurchaseChannel(models.TextChoices):
    # Guide: « Canal d'achat ».
    OFFICIAL_STORE = "official_store", branded(_("%(brand)s online store"))
    BRAND_STORE = "brand_store", branded(_("%(brand)s store"))
    AUTHORISED_DEALER = "authorised_dealer", _("Authorised dealer")
    ONLINE_MARKETPLACE = "online_marketplace", _("Online marketplace")
    OTHER = "other", pgettext_lazy("purchase channel", "Other")


class AccidentCause(models.TextChoices):
    # Guide: « Selon votre estimation, quelle peut être la cause de l'accident ? »
    PRODUCT = "product", _("Product-related issue")
    USER = "user", _("User-related issue")


class FlightEnvironment(models.TextChoices):
    CITY = "city", _("City")
    SUBURB = "suburb", _("Suburb")
    SEASIDE = "seaside", _("Seaside")
    INDOOR = "indoor", _("Indoor")
    PLATEAU = "plateau", _("Plateau")
    DESERT = "desert", _("Desert")
    NIGHT = "night", _("Night")
    OTHER = "other", pgettext_lazy("flight environment", "Other")


class AbnormalCondition(models.TextChoices):
    UNCONTROLLED_HORIZONTAL_SPEED = "horizontal_speed", _("Uncontrolled horizontal speed")
    NO_VERTICAL_CONTROL = "vertical_control", _("No vertical height control")
    FALL_WITHOUT_COLLISION = "fall", _("Fall without collision")
    BLACK_SCREEN = "black_screen", _("Black screen on the video downlink")
    RETURN_TO_HOME = "return_to_home", _("Return-to-home malfunction")
    OBSTACLE_AVOIDANCE = "obstacle_avoidance", _("Obstacle avoidance malfunction")
    OTHER = "other", pgettext_lazy("abnormal condition", "Other")


class Shipment(models.TextChoices):
    # Guide, step 7: « Composant défectueux » / « Ensemble de produits complet ».
    DEFECTIVE_COMPONENT = "component", _("Defective component")
    COMPLETE_SET = "complete_set", _("Complete product set")


class AttachmentKind(models.TextChoices):
    INVOICE = "invoice", _("Proof of purchase")
    FLIGHT_LOG = "flight_log", _("Flight log")
    # Taken by reception: the parcel as it arrived and the unit (images only).
    PARCEL_PHOTO = "parcel_photo", _("Photo of the parcel")


class ParcelDirection(models.TextChoices):
    """Which way a parcel travels: the customer's unit to the repair centre (with the prepaid
    return label, guide: « étiquette de retour »), or back to the customer."""

    INBOUND = "inbound", _("To the repair centre")
    OUTBOUND = "outbound", _("Back to the customer")


class InvestigationOutcome(models.TextChoices):
    """How a carrier's investigation of a parcel ended (guide: « En cas de perte du colis… »)."""

    FOUND = "found", _("Parcel found")
    DELIVERED = "delivered", _("Delivered after all")
    LOST = "lost", _("Lost: the carrier compensates")


class ExpressFlag(models.TextChoices):
    """Why an Express case waits for an agent: the damaged unit is not back by the deadline, or
    came back with another serial number or without its battery (seed 001; FAQ 3)."""

    NOT_RETURNED = "not_returned", _("Damaged unit not returned by the deadline")
    OTHER_SERIAL = "other_serial", _("Another serial number came back")
    NO_BATTERY = "no_battery", _("Came back without its battery")


class ExpressResolution(models.TextChoices):
    CHARGED = "charged", _("Difference charged")
    CLEARED = "cleared", _("Cleared")
