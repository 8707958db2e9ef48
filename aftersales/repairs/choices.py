"""The answers of the online repair request, in the order and words of the Guide RMA (seed 001).
English labels here; the French of the guide is in locale/fr."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.core.i18n import branded


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted: waiting for your parcel")
    RECEIVED = "received", _("Parcel received at the workshop")
    EVALUATING = "evaluating", _("Being evaluated")
    QUOTED = "quoted", _("Quote sent: waiting for your answer")
    REPAIRING = "repairing", _("Being repaired")
    SHIPPED = "shipped", _("Shipped back")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


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
