# ruff: noqa: E501 (the FAQ's paragraphs, one string each)
"""The fifteen answers of the FAQ (seed 000) as the help centre's first articles: the French is
the seed's wording, the English a faithful translation; the keywords are other words customers
type for the same question (staff edit all of it afterwards). Loaded by the data migration
`0002_faq_articles`, and again by tests whose database an earlier transactional test emptied."""

from __future__ import annotations

from typing import Any

# faq number, slug, action (a URL name of choices.ArticleAction, or ""), title fr, body fr,
# title en, body en, keywords fr, keywords en.
FAQ: list[dict[str, Any]] = [
    {
        "faq_number": 1,
        "slug": "what-is-care-refresh",
        "action": "plans:list",
        "title_fr": "Qu'est-ce que DJI Care Refresh ?",
        "body_fr": "DJI Care Refresh est un programme qui permet de couvrir les dégâts occasionnés sur votre appareil. DJI Care Refresh est valide pendant 12 mois et offre jusqu'à deux remplacements complets en échange d'un coût supplémentaire en cas de dégâts votre appareil, nacelle ou caméra lors d'un usage normal. En utilisant DJI Care Refresh pour remplacer un produit, vous recevrez un produit neuf ou équivalent à neuf, qui répond aux critères de qualité standard de DJI concernant les performances et la stabilité.",
        "title_en": "What is DJI Care Refresh?",
        "body_en": "DJI Care Refresh is a programme that covers damage to your device. DJI Care Refresh is valid for 12 months and offers up to two full replacements for an additional fee when your device, gimbal or camera is damaged in normal use. When you use DJI Care Refresh to replace a product, you receive a new or as-good-as-new product that meets DJI's standard quality criteria for performance and stability.",
        "keywords_fr": "plan protection assurance couverture garantie remplacement",
        "keywords_en": "plan protection insurance cover coverage replacement",
    },
    {
        "faq_number": 2,
        "slug": "buy-for-inspire-2",
        "action": "plans:activate",
        "title_fr": "Comment puis-je acheter DJI Care Refresh pour mon Inspire 2 ?",
        "body_fr": "Le programme de garantie DJI Care Refresh est disponible séparément pour l'Inspire 2 et les caméras Zenmuse X4S et X5S. Si vous achetez plus d'une caméra, DJI Care Refresh peut être acheté pour chacune d'elle.",
        "title_en": "How can I buy DJI Care Refresh for my Inspire 2?",
        "body_en": "The DJI Care Refresh protection programme is available separately for the Inspire 2 and for the Zenmuse X4S and X5S cameras. If you buy more than one camera, DJI Care Refresh can be bought for each of them.",
        "keywords_fr": "acheter commander caméra zenmuse",
        "keywords_en": "buy order purchase camera zenmuse",
    },
    {
        "faq_number": 3,
        "slug": "buy-and-use-for-mavic-2",
        "action": "plans:activate",
        "title_fr": "Comment acheter et utiliser DJI Care Refresh pour le Mavic 2 ?",
        "body_fr": "Si vous souhaitez acheter DJI Care Refresh pour votre Mavic 2, vous pouvez le faire en vous rendant dans n'importe quel magasin avec votre Mavic 2, ou l'acheter en ligne sur la boutique en ligne de DJI en sélectionnant Services, puis en choisissant DJI Care Refresh (Mavic 2).\n\nIl existe trois façons d'activer DJI Care Refresh et de le lier à votre drone et à votre nacelle :\n\n1. Rendez-vous directement sur la page DJI Care Refresh, puis entrez le code d'activation et le numéro de série du drone pour le lier à votre DJI Care Refresh.\n2. Rendez-vous sur la boutique en ligne de DJI, et après avoir acheté DJI Care Refresh (Mavic 2), entrez le numéro de série du drone pour le lier à votre DJI Care Refresh.\n3. Rendez-vous sur la page d'assistance de DJI et entrez votre code d'activation ainsi que le numéro de série du drone pour le lier à DJI Care Refresh.\n\nPour utiliser le service de remplacement, rendez-vous sur le site web officiel de DJI, allez à Assistance, sélectionnez Services de réparation, puis Demande de réparation en ligne.\n\nVous serez invité à décrire le problème du produit et à fournir vos coordonnées. Le centre de réparation DJI évaluera votre produit et vous enverra un devis une fois l'évaluation des dommages terminée.\n\nSi vous sélectionnez l'option Express, la responsabilité relative aux dommages ne sera pas évaluée, et le remplacement vous sera envoyé plus rapidement.\n\nUne fois la demande soumise, veuillez envoyer votre appareil et la nacelle correspondante à un centre de réparation DJI selon les informations enregistrées.\n\nLe numéro de série du produit remplacé sera mis à jour automatiquement afin d'éviter tout impact négatif sur les services de suivi.",
        "title_en": "How do I buy and use DJI Care Refresh for the Mavic 2?",
        "body_en": "If you wish to buy DJI Care Refresh for your Mavic 2, you can do so by going to any store with your Mavic 2, or buy it online in the DJI online store by selecting Services, then choosing DJI Care Refresh (Mavic 2).\n\nThere are three ways to activate DJI Care Refresh and bind it to your aircraft and your gimbal:\n\n1. Go directly to the DJI Care Refresh page, then enter the activation code and the aircraft's serial number to bind it to your DJI Care Refresh.\n2. Go to the DJI online store and, after buying DJI Care Refresh (Mavic 2), enter the aircraft's serial number to bind it to your DJI Care Refresh.\n3. Go to the DJI support page and enter your activation code and the aircraft's serial number to bind it to DJI Care Refresh.\n\nTo use the replacement service, go to DJI's official website, open Support, select Repair Services, then Online Repair Request.\n\nYou will be asked to describe the product's problem and to give your contact details. The DJI repair centre will evaluate your product and send you a quote once the damage evaluation is complete.\n\nIf you select the Express option, liability for the damage will not be evaluated, and the replacement will be sent to you faster.\n\nOnce the request is submitted, please send your device and the matching gimbal to a DJI repair centre as per the recorded information.\n\nThe serial number of the replaced product will be updated automatically so that tracking services are not affected.",
        "keywords_fr": "activer activation code carte lier acheter utiliser express",
        "keywords_en": "activate activation code card bind buy use express",
    },
    {
        "faq_number": 4,
        "slug": "mavic-2-gimbal-replaced",
        "action": "repairs:start",
        "title_fr": "La nacelle de mon Mavic 2 a été remplacée ; puis-je quand même utiliser DJI Care Refresh ?",
        "body_fr": "Oui. Le nouveau service sous DJI Care Refresh permet au client de remplacer la nacelle du Mavic 2. Un service DJI Care Refresh couvre deux unités de remplacement par an, ce qui vous offre plus de flexibilité.\n\nLe service couvre l'appareil, la nacelle, la batterie et les hélices. Cependant, votre service ne sera pas limité par le numéro de la nacelle de votre drone. Après avoir remplacé une nacelle du Mavic 2 dans un centre de réparation agréé de DJI*, le système mettra automatiquement à jour le numéro de série de votre produit remplacé. *Ceci inclut le centre de réparation DJI, les centres de service officiellement recommandés et les centres de service autorisés.",
        "title_en": "The gimbal of my Mavic 2 has been replaced; can I still use DJI Care Refresh?",
        "body_en": "Yes. The new service under DJI Care Refresh lets the customer replace the Mavic 2's gimbal. One DJI Care Refresh service covers two replacement units per year, which gives you more flexibility.\n\nThe service covers the aircraft, the gimbal, the battery and the propellers. However, your service will not be limited by the number of your aircraft's gimbal. After a Mavic 2 gimbal is replaced at an authorised DJI repair centre*, the system will automatically update the serial number of your replaced product. *This includes the DJI repair centre, the officially recommended service centres and the authorised service centres.",
        "keywords_fr": "nacelle remplacée caméra",
        "keywords_en": "gimbal replaced camera",
    },
    {
        "faq_number": 5,
        "slug": "swap-mavic-2-gimbal-model",
        "action": "repairs:start",
        "title_fr": "Puis-je échanger la nacelle de mon Mavic 2 Pro contre la nacelle du Mavic 2 Zoom sous DJI Care Refresh ?",
        "body_fr": "Non. DJI Care Refresh ne couvre pas l'échange de votre nacelle contre la nacelle d'un autre modèle. Toutefois, vous pouvez demander ce service séparément. DJI Care Refresh ne permet que le remplacement de votre nacelle par une autre nacelle correspondant au modèle de votre drone. Par exemple, si vous envoyez un Mavic 2 Pro, nous remplacerons sa nacelle uniquement par une nacelle pour Mavic 2 Pro.",
        "title_en": "Can I swap the gimbal of my Mavic 2 Pro for the gimbal of the Mavic 2 Zoom under DJI Care Refresh?",
        "body_en": "No. DJI Care Refresh does not cover swapping your gimbal for the gimbal of another model. You can, however, ask for this service separately. DJI Care Refresh only allows your gimbal to be replaced by another gimbal matching your aircraft's model. For example, if you send a Mavic 2 Pro, we will replace its gimbal only with a gimbal for the Mavic 2 Pro.",
        "keywords_fr": "nacelle échanger zoom pro modèle",
        "keywords_en": "gimbal swap exchange zoom pro model",
    },
    {
        "faq_number": 6,
        "slug": "binding-window-48-hours",
        "action": "plans:activate",
        "title_fr": "Puis-je acheter DJI Care Refresh pour une nouvelle caméra que je n'ai pas encore activé si mon Inspire 2 a été activé il y a plus de 48 heures ?",
        "body_fr": "DJI Care Refresh peut être acheté pour toute caméra qui n'a pas été activée ou qui a été activée il y a moins de 48 heures. La période de validité de chaque programme de garantie DJI Care Refresh dépend de la date mentionnée dans le contrat de service que vous avez reçu par email après votre achat.",
        "title_en": "Can I buy DJI Care Refresh for a new camera I have not activated yet if my Inspire 2 was activated more than 48 hours ago?",
        "body_en": "DJI Care Refresh can be bought for any camera that has not been activated or that was activated less than 48 hours ago. The validity period of each DJI Care Refresh protection programme depends on the date stated in the service contract you received by e-mail after your purchase.",
        "keywords_fr": "activé délai 48 heures lier acheter tard trop",
        "keywords_en": "activated window 48 hours bind buy late deadline",
    },
    {
        "faq_number": 7,
        "slug": "parts-covered",
        "action": "repairs:start",
        "title_fr": "Quelles parties peuvent être remplacées sous couverture de DJI Care Refresh ?",
        "body_fr": "Gammes Mavic et Spark : Drone, nacelle et caméra liées, batterie et hélices.\n\nPour la gamme Phantom 4 Pro, le Phantom 4 Advanced et le Phantom 3 SE : l'appareil, la caméra avec la nacelle, et les hélices.\n\nPour l'Inspire 2 : l'appareil et les hélices.\n\nPour les Zenmuse X4S, le X5S et le X7 : la nacelle et la caméra.\n\nAprès avoir effectué la demande de remplacement, envoyez la partie qui doit être remplacée à DJI.",
        "title_en": "Which parts can be replaced under DJI Care Refresh coverage?",
        "body_en": "Mavic and Spark series: aircraft, gimbal and camera together, battery and propellers.\n\nFor the Phantom 4 Pro series, the Phantom 4 Advanced and the Phantom 3 SE: the aircraft, the camera with the gimbal, and the propellers.\n\nFor the Inspire 2: the aircraft and the propellers.\n\nFor the Zenmuse X4S, X5S and X7: the gimbal and the camera.\n\nAfter making the replacement request, send the part that needs to be replaced to DJI.",
        "keywords_fr": "pièces batterie hélices nacelle caméra couvertes",
        "keywords_en": "parts battery propellers gimbal camera covered",
    },
    {
        "faq_number": 8,
        "slug": "warranty-and-care-refresh",
        "action": "repairs:start",
        "title_fr": "Quelle est la différence entre DJI Care Refresh et la garantie classique d'un produit DJI ? La garantie classique sera-t-elle applicable même sans acheter DJI Care Refresh ?",
        "body_fr": "La garantie produit est une garantie de réparation fournie par le fabricant en cas de défaut détecté sur le produit. DJI Care Refresh autorise un remplacement en cas de dégâts résultant d'un accident sur l'appareil, les hélices ou la batterie lors d'un usage normal. Il vous est toujours possible de profiter de la garantie classique des produits DJI sans acheter DJI Care Refresh. En revanche, ce dernier réduit considérablement le coût des réparations. En outre, si le coût des réparations est couvert par la garantie classique, le montant restant de la couverture du programme DJI Care Refresh pour le remplacement ne sera pas affecté.",
        "title_en": "What is the difference between DJI Care Refresh and the ordinary warranty of a DJI product? Does the ordinary warranty apply even without buying DJI Care Refresh?",
        "body_en": "The product warranty is a repair warranty provided by the manufacturer when a defect is found in the product. DJI Care Refresh allows a replacement when the aircraft, the propellers or the battery are damaged in an accident in normal use. You can always benefit from the ordinary warranty of DJI products without buying DJI Care Refresh. DJI Care Refresh, however, considerably reduces the cost of repairs. Moreover, if the cost of repairs is covered by the ordinary warranty, the remaining replacement coverage of the DJI Care Refresh programme is not affected.",
        "keywords_fr": "garantie défaut panne fabrication constructeur",
        "keywords_en": "warranty defect fault manufacturing manufacturer broken",
    },
    {
        "faq_number": 9,
        "slug": "renew-care-refresh",
        "action": "plans:list",
        "title_fr": "Puis-je renouveler mon programme DJI Care Refresh une fois qu'il arrive à expiration ? Combien de fois puis-je acheter DJI Care Refresh pour mon appareil ?",
        "body_fr": "Non, vous ne pouvez pas. Pour l'instant, chaque appareil ne peut être relié qu'à un seul programme DJI Care Refresh. Il ne peut pas être renouvelé après expiration.",
        "title_en": "Can I renew my DJI Care Refresh plan once it expires? How many times can I buy DJI Care Refresh for my device?",
        "body_en": "No, you cannot. For now, each device can be bound to only one DJI Care Refresh programme. It cannot be renewed after it expires.",
        "keywords_fr": "renouveler renouvellement prolonger prolongation expiré expiration fin",
        "keywords_en": "renew renewal extend extension expired expiry end",
    },
    {
        "faq_number": 10,
        "slug": "replace-my-device",
        "action": "repairs:start",
        "title_fr": "Comment puis-je remplacer mon appareil avec DJI Care Refresh ?",
        "body_fr": "DJI Care Refresh est lié au numéro de série de l'appareil. Si vous souhaitez remplacer votre appareil, contactez le service client DJI par téléphone, email, ou chat en direct. Envoyez ensuite votre appareil au centre de réparation DJI désigné pour que le personnel du service client DJI s'en charge. Notre personnel évaluera les dégâts et vous enverra un devis pour la réparation. Après avoir reçu le devis, vous pouvez choisir de faire réparer l'appareil au prix indiqué ou remplacer l'appareil avec DJI Care Refresh. Vous recevrez un exemplaire neuf ou reconditionné après avoir payé le frais de service spécifié dans votre contrat de service DJI Care Refresh. Le numéro de série de remplacement sera automatiquement lié à votre programme DJI Care Refresh.",
        "title_en": "How can I replace my device with DJI Care Refresh?",
        "body_en": "DJI Care Refresh is bound to the device's serial number. If you wish to replace your device, contact DJI customer service by phone, e-mail or live chat. Then send your device to the designated DJI repair centre for DJI customer service staff to handle it. Our staff will evaluate the damage and send you a quote for the repair. After receiving the quote, you can choose to have the device repaired at the stated price or to replace the device with DJI Care Refresh. You will receive a new or refurbished unit after paying the service fee specified in your DJI Care Refresh service contract. The replacement's serial number will be automatically bound to your DJI Care Refresh programme.",
        "keywords_fr": "remplacer remplacement échange cassé crash accident réparation demande",
        "keywords_en": "replace replacement exchange broken crash crashed accident repair request",
    },
    {
        "faq_number": 11,
        "slug": "bind-to-my-product",
        "action": "plans:activate",
        "title_fr": "J'ai acheté DJI Care Refresh, dois-je le lier à mon produit ?",
        "body_fr": 'Si vous avez acheté un produit et sélectionné "DJI Care Refresh" dans votre commande sur la boutique DJI, vous n\'avez pas besoin de lier le service, c\'est déjà fait.\nSi vous achetez "DJI Care Refresh" séparément sur la boutique DJI, vous devrez saisir le numéro de série du produit dans la boîte de dialogue qui s\'affiche.\nSi vous avez acheté la carte d\'activation "DJI Care Refresh", vous devez entrer le code d\'activation et le numéro de série du produit sur <http://store.dji.com/active-care> pour activer votre DJI Care Refresh.',
        "title_en": "I bought DJI Care Refresh; do I need to bind it to my product?",
        "body_en": 'If you bought a product and selected "DJI Care Refresh" in your order in the DJI store, you do not need to bind the service: it is already done.\nIf you buy "DJI Care Refresh" separately in the DJI store, you will have to type the product\'s serial number in the dialogue box that opens.\nIf you bought the "DJI Care Refresh" activation card, you need to enter the activation code and the product\'s serial number at <http://store.dji.com/active-care> to activate your DJI Care Refresh.',
        "keywords_fr": "lier associer enregistrer activer carte code",
        "keywords_en": "bind link register activate card code",
    },
    {
        "faq_number": 12,
        "slug": "where-is-the-serial-number",
        "action": "helpcentre:serial_numbers",
        "title_fr": "Où puis-je trouver le numéro de série (S/N) de l'appareil et celui de la nacelle ?",
        "body_fr": "Pour la gamme Mavic et le Spark, le S/N de l'appareil se trouve dans le compartiment de la batterie. Le S/N devrait uniquement être saisi pendant l'achat de DJI Care.\n\nPour le Mavic 2, le numéro de série de la nacelle se trouve sur l'axe de celle-ci.\n\nPour l'Inspire 2, le S/N de l'appareil se trouve sur la queue de l'appareil.\n\nPour les caméras nacelles Zenmuse X4S, X5S et X7, le S/N se trouve sur la nacelle elle-même.\n\nPour la gamme Phantom 4 Pro et le Phantom 4 Advanced, le S/N de l'appareil se trouve dans le compartiment de la batterie. Le S/N devrait uniquement être saisi pendant l'achat de DJI Care.\n\nPour le Phantom 3 SE, le S/N de l'appareil se trouve à l'arrière de l'appareil. Celui de la nacelle se trouve sur la plaque de fixation de la nacelle.",
        "title_en": "Where can I find the serial number (S/N) of the aircraft and of the gimbal?",
        "body_en": "For the Mavic series and the Spark, the aircraft's S/N is in the battery compartment. The S/N should only be typed when buying DJI Care.\n\nFor the Mavic 2, the gimbal's serial number is on its axis.\n\nFor the Inspire 2, the aircraft's S/N is on the aircraft's tail.\n\nFor the Zenmuse X4S, X5S and X7 gimbal cameras, the S/N is on the gimbal itself.\n\nFor the Phantom 4 Pro series and the Phantom 4 Advanced, the aircraft's S/N is in the battery compartment. The S/N should only be typed when buying DJI Care.\n\nFor the Phantom 3 SE, the aircraft's S/N is on the back of the aircraft. The gimbal's is on the gimbal's mounting plate.",
        "keywords_fr": "numéro série sn s/n trouver où étiquette",
        "keywords_en": "serial number sn s/n find where label sticker",
    },
    {
        "faq_number": 13,
        "slug": "water-damage",
        "action": "repairs:start",
        "title_fr": "Mon appareil est tombé dans l'eau. DJI Care Refresh couvre-t-il le remplacement ?",
        "body_fr": "Les dégâts sur le produit causés par un contact avec l'eau sont couverts par DJI Care Refresh. Les produits ayant subi des dégâts à cause de l'eau peuvent être remplacés grâce à DJI Care Refresh.",
        "title_en": "My device fell into water. Does DJI Care Refresh cover the replacement?",
        "body_en": "Damage to the product caused by contact with water is covered by DJI Care Refresh. Products damaged by water can be replaced with DJI Care Refresh.",
        "keywords_fr": "eau mouillé noyé immergé tombé pluie mer lac rivière piscine drone",
        "keywords_en": "water wet drowned submerged fell dropped rain sea lake river pool drone",
    },
    {
        "faq_number": 14,
        "slug": "international-coverage",
        "action": "",
        "title_fr": "DJI Care Refresh propose-t-il une couverture internationale ?",
        "body_fr": "Non, pour l'instant, DJI Care Refresh ne fonctionne que dans une région. DJI Care Refresh et le produit correspondant doivent être achetés dans le même pays ou la même région.",
        "title_en": "Does DJI Care Refresh offer international coverage?",
        "body_en": "No, for now DJI Care Refresh works in one region only. DJI Care Refresh and the matching product must be bought in the same country or region.",
        "keywords_fr": "international étranger voyage pays région",
        "keywords_en": "international abroad travel country region",
    },
    {
        "faq_number": 15,
        "slug": "countries-available",
        "action": "",
        "title_fr": "Dans quel pays DJI Care Refresh est-il disponible ?",
        "body_fr": "À l'heure actuelle, DJI Care Refresh est disponible aux États-Unis, au Canada, dans les pays de l'Union européenne, Suisse, Norvège, au Royaume-Uni, en Australie, à Hong Kong, à Taïwan, et en Chine continentale. Consultez la boutique en ligne DJI pour savoir si DJI Care Refresh est disponible dans votre pays.",
        "title_en": "In which countries is DJI Care Refresh available?",
        "body_en": "At present, DJI Care Refresh is available in the United States, Canada, the countries of the European Union, Switzerland, Norway, the United Kingdom, Australia, Hong Kong, Taiwan and mainland China. Check the DJI online store to find out whether DJI Care Refresh is available in your country.",
        "keywords_fr": "pays disponible europe états-unis canada",
        "keywords_en": "country countries available europe united states canada",
    },
]


def faq_articles_load(apps: Any) -> None:
    """Creates the FAQ's articles that do not exist yet (by FAQ number); `apps` is a migration's
    app registry or django.apps.apps. The search columns are filled by the caller
    (`services.article_search_refresh`)."""
    article_model = apps.get_model("helpcentre", "Article")
    for position, row in enumerate(FAQ, start=1):
        article_model.objects.get_or_create(
            faq_number=row["faq_number"],
            defaults={
                **{k: v for k, v in row.items() if k != "faq_number"},
                "position": position,
                "published": True,
            },
        )
